/**
 * The room document (crdt/) as signals: chat, raised-hand queue, floating reactions and presence
 * (awareness). One Y.Doc per room session, synced by y-websocket on `/yjs/<room>`; the provider
 * reconnects by itself. Everything is released by `close()`.
 */
import { createSignal } from 'solid-js';
import * as Y from 'yjs';
import { WebsocketProvider } from 'y-websocket';
import {
  chatArray,
  chatMessages,
  freshReactions,
  handQueue,
  handsArray,
  isAwarenessUser,
  isHandRaised,
  lowerHand,
  observeNewReactions,
  raiseHand,
  sendChat,
  sendReaction,
  type AwarenessUser,
  type ChatMessage,
  type RaisedHand,
} from '../../../crdt/index.ts';
import { colorFor } from '../lib/color.ts';

export const BUBBLE_MS = 4000;

export type Bubble = { id: string; participantId: string; emoji: string };
export type Self = { participantId: string; sessionId: string; name: string };

export function yjsBase(): string {
  return `${location.protocol === 'https:' ? 'wss:' : 'ws:'}//${location.host}/yjs`;
}

export function createRoomDoc(roomId: string, token: string, self: Self) {
  const doc = new Y.Doc();
  const provider = new WebsocketProvider(yjsBase(), roomId, doc, { params: { token }, disableBc: true });
  const [chat, setChat] = createSignal<ChatMessage[]>([]);
  const [hands, setHands] = createSignal<RaisedHand[]>([]);
  const [bubbles, setBubbles] = createSignal<Bubble[]>([]);
  const [users, setUsers] = createSignal<Map<string, AwarenessUser>>(new Map());
  const [synced, setSynced] = createSignal(false);
  const timers = new Set<ReturnType<typeof setTimeout>>();

  // Entries keep their object identity across updates, so <For> adds only the new rows (and the
  // aria-live chat log announces only new messages).
  const stable = <T,>(cache: Map<string, T>, list: T[], key: (x: T) => string): T[] => {
    const seen = new Set<string>();
    const out = list.map((item) => {
      const k = key(item);
      seen.add(k);
      const known = cache.get(k);
      if (known && JSON.stringify(known) === JSON.stringify(item)) return known;
      cache.set(k, item);
      return item;
    });
    for (const k of [...cache.keys()]) if (!seen.has(k)) cache.delete(k);
    return out;
  };
  const chatCache = new Map<string, ChatMessage>();
  const handCache = new Map<string, RaisedHand>();
  const onChat = () => setChat(stable(chatCache, chatMessages(doc), (m) => m.id));
  const onHands = () => setHands(stable(handCache, handQueue(doc), (h) => h.participantId));
  chatArray(doc).observe(onChat);
  handsArray(doc).observe(onHands);

  const stopReactions = observeNewReactions(doc, (reaction) => {
    if (freshReactions([reaction], Date.now()).length === 0) return;
    setBubbles((list) => [...list, { id: reaction.id, participantId: reaction.participantId, emoji: reaction.emoji }]);
    const timer = setTimeout(() => {
      timers.delete(timer);
      setBubbles((list) => list.filter((b) => b.id !== reaction.id));
    }, BUBBLE_MS);
    timers.add(timer);
  });

  const onAwareness = () => {
    const next = new Map<string, AwarenessUser>();
    for (const state of provider.awareness.getStates().values()) {
      const user: unknown = (state as { user?: unknown }).user;
      if (isAwarenessUser(user)) next.set(user.sessionId, user);
    }
    setUsers(next);
  };
  provider.awareness.on('change', onAwareness);
  const onSync = (isSynced: boolean) => setSynced(isSynced);
  provider.on('sync', onSync);

  const who = () => ({ participantId: self.participantId, name: self.name });

  return {
    chat,
    hands,
    bubbles,
    users,
    synced,
    sendChat: (text: string) => sendChat(doc, who(), text, Date.now()),
    sendReaction: (emoji: string) => sendReaction(doc, who(), emoji, Date.now()),
    toggleHand(): void {
      if (isHandRaised(doc, self.participantId)) lowerHand(doc, self.participantId);
      else raiseHand(doc, who(), Date.now());
    },
    setPresence(state: { audio: boolean; video: boolean; screen: boolean }): void {
      const user: AwarenessUser = { ...self, color: colorFor(self.participantId), ...state };
      provider.awareness.setLocalStateField('user', user);
    },
    close(): void {
      stopReactions();
      chatArray(doc).unobserve(onChat);
      handsArray(doc).unobserve(onHands);
      provider.awareness.off('change', onAwareness);
      provider.off('sync', onSync);
      for (const timer of timers) clearTimeout(timer);
      provider.destroy();
      doc.destroy();
    },
  };
}

export type RoomDoc = ReturnType<typeof createRoomDoc>;
