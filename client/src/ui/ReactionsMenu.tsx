import { For, Show, createSignal, onCleanup } from 'solid-js';
import { REACTION_EMOJIS } from '../../../crdt/index.ts';
import { t } from '../stores/i18n.ts';
import { Icon } from './Icon.tsx';

/** A button that opens a small menu of emoji; Escape or a click outside closes it. */
export function ReactionsMenu(props: { onReaction(emoji: string): void }) {
  const [open, setOpen] = createSignal(false);
  let root!: HTMLDivElement;
  let trigger!: HTMLButtonElement;

  const close = (refocus: boolean) => {
    setOpen(false);
    if (refocus) trigger.focus();
  };
  const onDocumentClick = (event: MouseEvent) => {
    if (open() && !root.contains(event.target as Node)) close(false);
  };
  document.addEventListener('click', onDocumentClick);
  onCleanup(() => document.removeEventListener('click', onDocumentClick));

  return (
    <div class="menu-anchor" ref={root} onKeyDown={(e) => e.key === 'Escape' && open() && close(true)}>
      <button
        ref={trigger}
        type="button"
        class="ctrl"
        classList={{ active: open() }}
        data-testid="toggle-reactions"
        aria-label={t('reactions')}
        title={t('reactions')}
        aria-expanded={open()}
        aria-haspopup="true"
        aria-controls="reactions-menu"
        onClick={() => setOpen((v) => !v)}
      >
        <Icon name="smile" />
      </button>
      <Show when={open()}>
        <div class="reactions-menu" id="reactions-menu" role="group" aria-label={t('reactions')}>
          <For each={REACTION_EMOJIS}>
            {(emoji) => (
              <button type="button" class="reaction-option" data-testid="reaction-option" data-emoji={emoji} aria-label={t('sendReaction', { emoji })} title={t('sendReaction', { emoji })} onClick={() => props.onReaction(emoji)}>
                {emoji}
              </button>
            )}
          </For>
        </div>
      </Show>
    </div>
  );
}
