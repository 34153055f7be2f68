import { Show, createEffect, createSignal, on, onCleanup } from 'solid-js';
import type { CachedJoin } from '../lib/joinCache.ts';
import { PAGE_KEYS, matchShortcut, type ShortcutAction } from '../lib/shortcuts.ts';
import { pageSizeFrom } from '../lib/paging.ts';
import { createRoomSession } from '../stores/session.ts';
import { createTiles, reportView } from '../stores/tiles.ts';
import { createPages } from '../stores/pages.ts';
import { createChatReadState } from '../stores/chatRead.ts';
import { media } from '../stores/media.ts';
import { t } from '../stores/i18n.ts';
import { Stage } from './Stage.tsx';
import { ControlsBar, type Panel } from './ControlsBar.tsx';
import { ChatPanel } from './ChatPanel.tsx';
import { ParticipantsPanel } from './ParticipantsPanel.tsx';
import { Toast, showToast } from './Toast.tsx';
import { RelayAudio } from './RelayAudio.tsx';
import { OffPageAudio } from './OffPageAudio.tsx';
import { Pager } from './Pager.tsx';

export type RoomEnd = 'left' | 'replaced' | 'room-full' | 'room-gone' | 'unauthorized';

export function Room(props: { roomId: string; join: CachedJoin; onEnd(reason: RoomEnd, detail?: string): void }) {
  const session = createRoomSession(props.roomId, props.join);
  const tiles = createTiles(session);
  const pages = createPages(tiles, session.dominant, pageSizeFrom(location.search));
  reportView(session, pages.visible);
  const [panel, setPanel] = createSignal<Panel>(null);
  const chatRead = createChatReadState(props.roomId, session.doc.chat, session.self.participantId, () => panel() === 'chat');
  const handRaised = () => session.doc.hands().some((h) => h.participantId === session.self.participantId);

  createEffect(
    on(session.state, (state) => {
      if (state === 'replaced' || state === 'room-full' || state === 'room-gone' || state === 'unauthorized') props.onEnd(state, session.error()?.message);
    }),
  );

  const leave = () => {
    session.leave();
    props.onEnd('left');
  };

  const toggleScreen = async () => {
    if (media.screen()) return media.stopScreen();
    const problem = await media.startScreen();
    if (problem) showToast(t('screenShareFailed', { message: problem.kind === 'other' ? problem.message : problem.kind }));
  };

  const copyLink = async () => {
    const url = `${location.origin}/${props.roomId}`;
    try {
      await navigator.clipboard.writeText(url);
      showToast(t('linkCopied'));
    } catch {
      showToast(t('copyFailed', { url }));
    }
  };

  const run = (action: ShortcutAction) => {
    switch (action) {
      case 'mic':
        return void media.setMicOn(!media.micOn());
      case 'camera':
        return void media.setCameraOn(!media.cameraOn());
      case 'screen':
        return void toggleScreen();
      case 'hand':
        return session.doc.toggleHand();
      case 'chat':
      case 'participants':
        return setPanel((p) => (p === action ? null : action));
      case 'previousPage':
        return pages.previous();
      case 'nextPage':
        return pages.next();
    }
  };

  const onKey = (event: KeyboardEvent) => {
    const action = matchShortcut(event);
    if (!action) return;
    if (PAGE_KEYS.has(action) && event.target instanceof Element && event.target.closest('input, textarea, select, [contenteditable], .panel')) return;
    event.preventDefault();
    run(action);
  };
  window.addEventListener('keydown', onKey);
  onCleanup(() => window.removeEventListener('keydown', onKey));

  return (
    <div
      class="room"
      data-testid="room"
      data-state={session.state() === 'connected' ? 'connected' : 'reconnecting'}
      data-media-path={session.path.target()}
      data-switching={session.path.pendingEpoch() === null ? 'false' : 'true'}
    >
      <Show when={session.state() !== 'connected'}>
        <div class="banner" role="status">{session.state() === 'connecting' ? t('connecting') : t('reconnecting')}</div>
      </Show>
      <div class="room-main">
        <div class="stage-area">
          <Stage tiles={pages.visible()} bubbles={session.doc.bubbles()} hands={session.doc.hands()} />
          <Pager pages={pages} />
        </div>
        <Show when={panel() === 'chat'}>
          <ChatPanel messages={session.doc.chat()} selfId={session.self.participantId} onSend={(text) => session.doc.sendChat(text)} onClose={() => setPanel(null)} />
        </Show>
        <Show when={panel() === 'participants'}>
          <ParticipantsPanel participants={session.participants()} hands={session.doc.hands()} users={session.doc.users()} onClose={() => setPanel(null)} />
        </Show>
      </div>
      <ControlsBar
        panel={panel()}
        onPanel={(p) => setPanel((current) => (current === p ? null : p))}
        unread={chatRead.unread()}
        participantCount={session.participants().length}
        handRaised={handRaised()}
        onHand={() => session.doc.toggleHand()}
        onScreen={() => void toggleScreen()}
        onReaction={(emoji) => session.doc.sendReaction(emoji)}
        onCopyLink={() => void copyLink()}
        onLeave={leave}
      />
      <RelayAudio path={session.path} />
      <OffPageAudio tiles={tiles()} shown={pages.visible()} />
      <Toast />
    </div>
  );
}
