import { For, Show, onCleanup, onMount } from 'solid-js';
import { colorFor, initials } from '../lib/color.ts';
import { PAUSE_TEXT } from '../lib/pausedVideos.ts';
import { createSpeaking } from '../stores/audioLevel.ts';
import { createConnectionQuality } from '../stores/connectionQuality.ts';
import type { Bubble } from '../stores/roomDoc.ts';
import type { TileModel } from '../stores/tiles.ts';
import { t } from '../stores/i18n.ts';
import { Video } from './Video.tsx';
import { Icon } from './Icon.tsx';
import { QualityBadge } from './QualityBadge.tsx';

/**
 * One participant's camera or screen: video, name, muted/speaking/hand/connection-quality indicators,
 * reaction bubbles, and why the relay paused its video (announced politely to screen readers).
 * Mounted only while on the current page (stores/pages.ts), so only shown tiles poll.
 */
export function Tile(props: { tile: TileModel; featured: boolean; bubbles: Bubble[]; handRaised: boolean }) {
  const camera = () => props.tile.kind === 'camera';
  const speaking = createSpeaking(
    () => (camera() ? props.tile.speech() : null),
    () => props.tile.audioOn(),
  );
  const quality = createConnectionQuality(
    () => (props.tile.self ? null : (props.tile.stream()?.getVideoTracks()[0] ?? null)),
    () => props.tile.connections(),
    () => camera() && props.tile.videoOn(),
  );
  const label = () => {
    const name = props.tile.name();
    if (!camera()) return props.tile.self ? t('yourPresentation') : t('presentation', { name });
    return props.tile.self ? t('youSuffix', { name }) : name;
  };

  let element!: HTMLDivElement;
  onMount(() => {
    const observer = new ResizeObserver(([entry]) => entry && props.tile.reportSize(entry.contentRect.width, entry.contentRect.height));
    observer.observe(element);
    onCleanup(() => observer.disconnect());
  });

  return (
    <div
      ref={element}
      class="tile"
      classList={{ featured: props.featured, speaking: speaking(), 'video-off': !props.tile.videoOn(), screen: !camera() }}
      role="group"
      aria-label={label()}
      data-testid="tile"
      data-participant-id={props.tile.participantId()}
      data-session-id={props.tile.sessionId}
      data-kind={props.tile.kind}
      data-self={props.tile.self ? 'true' : 'false'}
      data-featured={props.featured ? 'true' : 'false'}
      data-speaking={speaking() ? 'true' : 'false'}
      data-muted={props.tile.audioOn() ? 'false' : 'true'}
    >
      <Video
        stream={props.tile.stream()}
        next={props.tile.nextStream?.() ?? null}
        muted={props.tile.self || !camera()}
        mirrored={props.tile.self && camera()}
        fit={camera() ? 'cover' : 'contain'}
        onPresent={(stream) => props.tile.presented?.(stream)}
      />
      <Show when={camera() && !props.tile.videoOn()}>
        <div class="avatar-wrap" aria-hidden="true">
          <div class="avatar" style={{ 'background-color': colorFor(props.tile.participantId() || props.tile.sessionId) }}>{initials(props.tile.name())}</div>
        </div>
      </Show>
      <div class="tile-paused-live" aria-live="polite" aria-atomic="true">
        <Show when={props.tile.paused()}>
          {(reason) => (
            <div class="tile-paused" data-testid="paused-overlay" data-reason={reason()} title={t(PAUSE_TEXT[reason()].detail, { name: props.tile.name() })}>
              <Icon name="pause" />
              <span>{t(PAUSE_TEXT[reason()].short, { name: props.tile.name() })}</span>
            </div>
          )}
        </Show>
      </div>
      <Show when={!props.tile.connected()}>
        <div class="tile-status">{t('peerConnecting', { name: props.tile.name() })}</div>
      </Show>
      <div class="tile-label">
        <Show when={camera() && !props.tile.audioOn()}>
          <span class="badge muted-indicator" data-testid="muted-indicator" role="img" aria-label={t('muted')} title={t('muted')}>
            <Icon name="micOff" />
          </span>
        </Show>
        <Show when={speaking()}>
          <span class="badge speaking-indicator" data-testid="speaking-indicator" role="img" aria-label={t('speaking')} title={t('speaking')}>
            <span class="bars" />
          </span>
        </Show>
        <span class="tile-name">{label()}</span>
        <Show when={!props.tile.self}>
          <QualityBadge assessment={quality()} />
        </Show>
        <Show when={props.handRaised}>
          <span class="badge hand-indicator" role="img" aria-label={t('handRaised')} title={t('handRaised')}>
            <Icon name="hand" />
          </span>
        </Show>
      </div>
      <div class="bubbles" aria-hidden="true">
        <For each={props.bubbles}>
          {(b) => (
            <span class="reaction-bubble" data-testid="reaction-bubble" data-emoji={b.emoji} style={{ left: `${15 + (hash(b.id) % 60)}%` }}>
              {b.emoji}
            </span>
          )}
        </For>
      </div>
    </div>
  );
}

function hash(text: string): number {
  let h = 0;
  for (let i = 0; i < text.length; i++) h = (h * 33 + text.charCodeAt(i)) >>> 0;
  return h;
}
