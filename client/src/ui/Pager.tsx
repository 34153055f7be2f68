import { Show } from 'solid-js';
import { shortcutLabel } from '../lib/shortcuts.ts';
import { t } from '../stores/i18n.ts';
import type { Pages } from '../stores/pages.ts';
import { Icon } from './Icon.tsx';

/** Previous / next page of the grid and where we are ("Page 2 / 6"); shown only when there are pages. */
export function Pager(props: { pages: Pages }) {
  const titled = (label: string, action: 'previousPage' | 'nextPage') => t('shortcut', { label, keys: shortcutLabel(action) });
  return (
    <Show when={props.pages.pages() > 1}>
      <nav class="pager" aria-label={t('pages')} data-testid="pager">
        <button type="button" class="btn icon-only" data-testid="page-previous" aria-label={t('previousPage')} title={titled(t('previousPage'), 'previousPage')} disabled={props.pages.page() === 0} onClick={() => props.pages.previous()}>
          <Icon name="chevronLeft" />
        </button>
        <span class="page-status" data-testid="page-status" role="status" data-page={props.pages.page() + 1} data-pages={props.pages.pages()}>
          {t('pageStatus', { page: props.pages.page() + 1, pages: props.pages.pages() })}
        </span>
        <button type="button" class="btn icon-only" data-testid="page-next" aria-label={t('nextPage')} title={titled(t('nextPage'), 'nextPage')} disabled={props.pages.page() >= props.pages.pages() - 1} onClick={() => props.pages.next()}>
          <Icon name="chevronRight" />
        </button>
      </nav>
    </Show>
  );
}
