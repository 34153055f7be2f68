import { For, Show, createMemo, createSignal } from 'solid-js';
import type { AwarenessUser, RaisedHand } from '../../../crdt/index.ts';
import { colorFor, initials } from '../lib/color.ts';
import { handsFirst, keepIdentity, matchingIds, sortByName } from '../lib/participantList.ts';
import { media } from '../stores/media.ts';
import type { Participant } from '../stores/session.ts';
import { t } from '../stores/i18n.ts';
import { Icon } from './Icon.tsx';

/**
 * Everyone in the room (up to 150), and the raised-hand queue in the order hands went up. The list is
 * searchable (case and accents ignored), raised hands first. Rows keep their DOM while their content
 * is unchanged (keyed <For> over objects kept by lib/participantList.ts), so a join or a hand moves or
 * adds one row; the name order is sorted only when the roster changes; the search hides rows that do
 * not match instead of removing them, so typing and clearing create no row. Measured by
 * `npm run bench -- --scenario ui` (README). `content-visibility: auto` on the rows was tried and left
 * out: it cut the layout done at once, but the time to the next painted frame stayed the same (the
 * work moved to paint).
 */
export function ParticipantsPanel(props: { participants: Participant[]; hands: RaisedHand[]; users: Map<string, AwarenessUser>; onClose(): void }) {
  const [query, setQuery] = createSignal('');
  const rows = new Map<string, Participant>();
  const stable = createMemo(() => keepIdentity(rows, props.participants));
  const byName = createMemo(() => sortByName(stable()));
  const handOrder = createMemo(() => props.hands.map((h) => h.participantId));
  const raised = createMemo(() => new Set(handOrder()));
  const ordered = createMemo(() => handsFirst(byName(), handOrder()));
  const matching = createMemo(() => matchingIds(stable(), query()));
  const shows = (p: Participant) => matching()?.has(p.participantId) ?? true;
  const audioOn = (p: Participant) => (p.self ? media.hasAudio() && media.micOn() : (props.users.get(p.sessionId)?.audio ?? true));

  return (
    <aside class="panel participants-panel" aria-labelledby="participants-title">
      <header class="panel-header">
        <h2 id="participants-title" data-testid="participants-title">{t('participantsTitle', { n: props.participants.length })}</h2>
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
      <input
        type="search"
        class="people-search"
        data-testid="participant-search"
        aria-label={t('searchParticipants')}
        placeholder={t('searchParticipants')}
        value={query()}
        onInput={(event) => setQuery(event.currentTarget.value)}
      />
      <Show when={query().trim() !== ''}>
        <p class="muted search-count" role="status" data-testid="participant-matches">
          {(matching()?.size ?? 0) > 0 ? t('searchMatches', { n: matching()!.size, total: props.participants.length }) : t('searchNoMatch', { query: query().trim() })}
        </p>
      </Show>
      <ul class="people">
        <For each={ordered()}>
          {(p) => (
            <li data-testid="participant-item" data-participant-id={p.participantId} hidden={!shows(p)}>
              <span class="avatar small" aria-hidden="true" style={{ 'background-color': colorFor(p.participantId) }}>{initials(p.name)}</span>
              <span class="person-name">{p.self ? t('youSuffix', { name: p.name }) : p.name}</span>
              <Show when={raised().has(p.participantId)}>
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
