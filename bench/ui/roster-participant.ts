/**
 * A participant of the ui scenario that exists only in the roster: it joins through the join API, holds
 * the signalling socket (so the relay lists it in `welcome`/`peer-joined` and everyone's participants
 * panel shows it) and the room's Yjs document with its awareness (so its microphone state shows and it
 * can raise its hand), and has no media at all. The relay is told it finished each mode switch at once
 * (`mode-ack`): with nothing to send or receive, there is nothing to switch, and the room settles.
 */
import WebSocket from 'ws';
import * as Y from 'yjs';
import { WebsocketProvider } from 'y-websocket';
import { lowerHand, raiseHand, type AwarenessUser } from '../../crdt/index.ts';
import type { ServerMessage } from '../../relay/signal/protocol.ts';

export class RosterParticipant {
  readonly errors: string[] = [];
  participantId = '';
  #token = '';
  readonly sessionId: string;
  #ws: WebSocket | undefined;
  #doc = new Y.Doc();
  #provider: WebsocketProvider | undefined;
  #closed = false;

  constructor(readonly base: string, readonly roomId: string, readonly name: string, readonly muted: boolean) {
    this.sessionId = `roster-${Math.random().toString(36).slice(2, 12)}`;
  }

  /** Joins the room: `register()`, then `connect()`. */
  async join(timeoutMs = 20_000): Promise<void> {
    await this.register(timeoutMs);
    await this.connect(timeoutMs);
  }

  /** The join API call alone: afterwards the participant id is known, and nobody sees it yet. */
  async register(timeoutMs = 20_000): Promise<void> {
    const res = await fetch(`${this.base}/api/rooms/${this.roomId}/join`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ name: this.name }), signal: AbortSignal.timeout(timeoutMs) });
    if (res.status !== 200) throw new Error(`join answered ${res.status}: ${await res.text()}`);
    const { participantId, token } = (await res.json()) as { participantId: string; token: string };
    this.participantId = participantId;
    this.#token = token;
  }

  /** Opens both sockets; resolves once the relay has welcomed this session and the room document is synced. */
  async connect(timeoutMs = 20_000): Promise<void> {
    const { participantId } = this;
    const token = this.#token;
    if (!token) throw new Error(`${this.name}: connect() before register()`);
    const ws = new WebSocket(`${this.base.replace(/^http/, 'ws')}/signal/${this.roomId}?${new URLSearchParams({ token, session: this.sessionId })}`);
    this.#ws = ws;
    const welcomed = new Promise<void>((resolve, reject) => {
      ws.on('message', (data) => {
        const m = JSON.parse(data.toString()) as ServerMessage;
        if (m.type === 'welcome') resolve();
        this.#onMessage(m);
      });
      ws.on('close', (code) => reject(new Error(`${this.name}: signalling closed (${code}) before the welcome`)));
      ws.on('error', (err) => this.errors.push(`socket: ${err.message}`));
    });
    const provider = new WebsocketProvider(`${this.base.replace(/^http/, 'ws')}/yjs`, this.roomId, this.#doc, {
      WebSocketPolyfill: WebSocket as unknown as typeof globalThis.WebSocket,
      params: { token },
      disableBc: true,
    });
    this.#provider = provider;
    const user: AwarenessUser = { participantId, sessionId: this.sessionId, name: this.name, color: '#888888', audio: !this.muted, video: false, screen: false };
    provider.awareness.setLocalStateField('user', user);
    const synced = new Promise<void>((resolve) => provider.once('sync', () => resolve()));
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>((_, reject) => (timer = setTimeout(() => reject(new Error(`${this.name}: not welcomed and synced after ${timeoutMs} ms`)), timeoutMs)));
    try {
      await Promise.race([Promise.all([welcomed, synced]), timeout]);
    } finally {
      clearTimeout(timer);
    }
  }

  raiseHand(): void {
    raiseHand(this.#doc, { participantId: this.participantId, name: this.name }, Date.now());
  }

  lowerHand(): void {
    lowerHand(this.#doc, this.participantId);
  }

  /** Leaves as a closing tab does: `leave` on signalling, then both sockets close. Safe to call twice. */
  close(): void {
    if (this.#closed) return;
    this.#closed = true;
    if (this.#ws?.readyState === WebSocket.OPEN) this.#ws.send(JSON.stringify({ type: 'leave' }));
    this.#ws?.close();
    this.#provider?.destroy();
    this.#doc.destroy();
  }

  #onMessage(m: ServerMessage): void {
    switch (m.type) {
      case 'error':
        this.errors.push(`${m.code}: ${m.message}`);
        return;
      case 'welcome':
        return this.#ack(m.mode);
      case 'mode':
        return this.#ack(m);
      default:
        return;
    }
  }

  #ack(mode: { phase: string; epoch: number }): void {
    if (mode.phase === 'switching' && this.#ws?.readyState === WebSocket.OPEN) this.#ws.send(JSON.stringify({ type: 'mode-ack', epoch: mode.epoch }));
  }
}
