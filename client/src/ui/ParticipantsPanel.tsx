import { For, Show } from 'solid-js';
import type { AwarenessUser, RaisedHand } from '../../../crdt/index.ts';
import { colorFor, initials } from '../lib/color.ts';
import { media } from '../stores/media.ts';
import type { Participant } from '../stores/session.ts';
import { t } from '../stores/i18n.ts';
import { Icon } from './Icon.tsx';

/** Everyone in the room, and the raised-hand queue in the order hands went up. */
export function ParticipantsPanel(props: { participants: Participant[]; hands: RaisedHand[]; users: Map<string, AwarenessUser>; onClose(): void }) {
  const audioOn = (p: Participant) => (p.self ? media.hasAudio() && media.micOn() : (props.users.get(p.sessionId)?.audio ?? true));
  return (
    <aside class="panel participants-panel" aria-labelledby="participants-title">
      <header class="panel-header">
        <h2 id="participants-title">{t('participantsTitle', { n: props.participants.length })}</h2>
        <button type="button" class="btn icon-only" aria-label={t('close')} title={t('close')} onClick={() => props.onClose()}>
          <Icon name="close" />
        </button>
      </header>
      <section aria-labelledby="hands-title">
        <h3 id="hands-title">{t('handQueueTitle')}</h3>
        <Show when={props.hands.length > 0} fallback={<p class="muted">{t('handQueueEmpty')}</p>}>
          <ol class="hand-queue">
            <For each={props.hands}>
              {(hand) => (
                <li data-testid="hand-queue-item" data-participant-id={hand.participantId}>
                  <Icon name="hand" /> <span>{hand.name}</span>
                </li>
              )}
            </For>
          </ol>
        </Show>
      </section>
      <ul class="people">
        <For each={props.participants}>
          {(p) => (
            <li data-testid="participant-item" data-participant-id={p.participantId}>
              <span class="avatar small" aria-hidden="true" style={{ 'background-color': colorFor(p.participantId) }}>{initials(p.name)}</span>
              <span class="person-name">{p.self ? t('youSuffix', { name: p.name }) : p.name}</span>
              <Show when={props.hands.some((h) => h.participantId === p.participantId)}>
                <span class="hand-indicator" role="img" aria-label={t('handRaised')} title={t('handRaised')}><Icon name="hand" /></span>
              </Show>
              <Show when={!audioOn(p)}>
                <span class="muted-indicator" role="img" aria-label={t('muted')} title={t('muted')}><Icon name="micOff" /></span>
              </Show>
            </li>
          )}
        </For>
      </ul>
    </aside>
  );
}
