import { Index, Show } from 'solid-js';
import type { Assessment, Quality } from '../lib/quality.ts';
import { t } from '../stores/i18n.ts';

const LABEL = { good: 'qualityGood', fair: 'qualityFair', poor: 'qualityPoor' } as const;
const BARS: Record<Quality, number> = { good: 3, fair: 2, poor: 1 };

/**
 * A tile's connection quality: signal bars (3 good, 2 fair, 1 poor, coloured too) named for screen
 * readers, with the figures behind the verdict in the tooltip. Nothing until there is a verdict.
 */
export function QualityBadge(props: { assessment: Assessment | null }) {
  return (
    <Show when={props.assessment}>
      {(a) => {
        const label = () => t(LABEL[a().quality]);
        const detail = () => t('qualityDetail', { label: label(), loss: a().lossPct.toFixed(1), jitter: Math.round(a().jitterMs), fps: Math.round(a().fps), frozen: (a().frozenMs / 1000).toFixed(1) });
        return (
          <span class={`badge quality-indicator ${a().quality}`} data-testid="quality-indicator" data-quality={a().quality} role="img" aria-label={label()} title={detail()}>
            <svg class="icon" viewBox="0 0 16 16" width="16" height="16" aria-hidden="true">
              <Index each={[0, 1, 2]}>{(i) => <rect x={1 + i() * 5} y={10 - i() * 4} width="4" height={5 + i() * 4} rx="1" class={i() < BARS[a().quality] ? 'on' : 'off'} />}</Index>
            </svg>
          </span>
        );
      }}
    </Show>
  );
}
