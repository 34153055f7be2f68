/** Unread chat count: messages from others newer than the last one seen with the chat panel open. */
import { createEffect, createMemo, createSignal, type Accessor } from 'solid-js';
import { countUnread, type ChatMessage } from '../../../crdt/index.ts';
import { readStorage, writeStorage } from '../lib/storage.ts';

export function createChatReadState(roomId: string, messages: Accessor<ChatMessage[]>, selfId: string, open: Accessor<boolean>) {
  const key = `palabre:chat-read:${roomId}`;
  const [lastRead, setLastRead] = createSignal(Number(readStorage('session', key)) || 0);
  createEffect(() => {
    if (!open()) return;
    const newest = messages().reduce((max, m) => Math.max(max, m.ts), lastRead());
    if (newest > lastRead()) {
      setLastRead(newest);
      writeStorage('session', key, String(newest));
    }
  });
  const unread = createMemo(() => countUnread(messages(), lastRead(), selfId));
  return { unread };
}
