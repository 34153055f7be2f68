import { Show } from 'solid-js';
import { media } from '../stores/media.ts';
import { t } from '../stores/i18n.ts';
import { shortcutLabel } from '../lib/shortcuts.ts';
import { MediaToggles } from './MediaToggles.tsx';
import { ReactionsMenu } from './ReactionsMenu.tsx';
import { Icon } from './Icon.tsx';

export type Panel = 'chat' | 'participants' | null;

export function ControlsBar(props: {
  panel: Panel;
  onPanel(panel: 'chat' | 'participants'): void;
  unread: number;
  participantCount: number;
  handRaised: boolean;
  onHand(): void;
  onScreen(): void;
  onReaction(emoji: string): void;
  onCopyLink(): void;
  onLeave(): void;
}) {
  const screenLabel = () => (media.screen() ? t('stopSharing') : t('shareScreen'));
  const handLabel = () => (props.handRaised ? t('lowerHand') : t('raiseHand'));
  const titled = (label: string, action: Parameters<typeof shortcutLabel>[0]) => t('shortcut', { label, keys: shortcutLabel(action) });
  const canShare = typeof navigator !== 'undefined' && !!navigator.mediaDevices?.getDisplayMedia;

  return (
    <nav class="controls" aria-label={t('settings')}>
      <div class="controls-group">
        <MediaToggles prefix="toggle" />
        <Show when={canShare}>
          <button type="button" class="ctrl" classList={{ active: !!media.screen() }} data-testid="toggle-screen" aria-pressed={!!media.screen()} aria-label={screenLabel()} title={titled(screenLabel(), 'screen')} onClick={() => props.onScreen()}>
            <Icon name="screen" />
          </button>
        </Show>
        <ReactionsMenu onReaction={(emoji) => props.onReaction(emoji)} />
        <button type="button" class="ctrl" classList={{ active: props.handRaised }} data-testid="toggle-hand" aria-pressed={props.handRaised} aria-label={handLabel()} title={titled(handLabel(), 'hand')} onClick={() => props.onHand()}>
          <Icon name="hand" />
        </button>
        <button type="button" class="ctrl leave" data-testid="leave" aria-label={t('leave')} title={t('leave')} onClick={() => props.onLeave()}>
          <Icon name="leave" />
        </button>
      </div>
      <div class="controls-group side">
        <button type="button" class="ctrl" classList={{ active: props.panel === 'chat' }} data-testid="toggle-chat" aria-pressed={props.panel === 'chat'} aria-label={props.unread > 0 ? `${t('chat')}, ${t('unread', { n: props.unread })}` : t('chat')} title={titled(t('chat'), 'chat')} onClick={() => props.onPanel('chat')}>
          <Icon name="chat" />
          <Show when={props.unread > 0}>
            <span class="count-badge" data-testid="chat-unread" aria-hidden="true">{props.unread}</span>
          </Show>
        </button>
        <button type="button" class="ctrl" classList={{ active: props.panel === 'participants' }} data-testid="toggle-participants" aria-pressed={props.panel === 'participants'} aria-label={`${t('participants')} (${props.participantCount})`} title={titled(t('participants'), 'participants')} onClick={() => props.onPanel('participants')}>
          <Icon name="people" />
          <span class="count-badge neutral" data-testid="participant-count" aria-hidden="true">{props.participantCount}</span>
        </button>
        <button type="button" class="ctrl" data-testid="copy-link" aria-label={t('copyLink')} title={t('copyLink')} onClick={() => props.onCopyLink()}>
          <Icon name="link" />
        </button>
      </div>
    </nav>
  );
}
