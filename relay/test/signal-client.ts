/**
 * A signalling socket for tests (protocol: relay/signal/protocol.ts): a `ws` wrapper that queues every
 * server frame, so a test can `await next('welcome')` in order, count frames by type and error code,
 * and learn the close code. Frames that are not JSON are kept as `unparsed` rather than thrown on.
 */
import WebSocket from 'ws';
import type { ClientMessage, ServerMessage } from '../signal/protocol.ts';
import { TimeoutError } from './wait.ts';

export type MessageOf<T extends ServerMessage['type']> = Extract<ServerMessage, { type: T }>;
export type Closed = { code: number; reason: string };

export function signalUrl(wsBase: string, roomId: string, token: string | undefined, session: string | undefined): string {
  const query = new URLSearchParams();
  if (token !== undefined) query.set('token', token);
  if (session !== undefined) query.set('session', session);
  return `${wsBase}/signal/${encodeURIComponent(roomId)}?${query}`;
}

type Waiter = { match(m: ServerMessage): boolean; resolve(m: ServerMessage): void };

export class SignalClient {
  readonly ws: WebSocket;
  /** Frames received and not yet taken by `next()`. */
  readonly queue: ServerMessage[] = [];
  readonly counts = new Map<string, number>();
  readonly errorCodes = new Map<string, number>();
  unparsed = 0;
  /** Called for every frame, before it is queued (mesh participants react here). */
  onMessage: ((m: ServerMessage) => void) | undefined;
  readonly opened: Promise<void>;
  readonly closed: Promise<Closed>;
  closedWith: Closed | undefined;
  #waiters: Waiter[] = [];
  #keepQueue: boolean;

  /** `keepQueue: false` counts frames without keeping them (for floods). */
  constructor(url: string, options: { keepQueue?: boolean } = {}) {
    this.#keepQueue = options.keepQueue ?? true;
    this.ws = new WebSocket(url);
    this.ws.on('error', () => {}); // the close event carries what we need
    this.opened = new Promise((resolve, reject) => {
      this.ws.once('open', () => resolve());
      this.ws.once('close', (code) => reject(new Error(`socket closed (${code}) before opening`)));
    });
    this.opened.catch(() => {});
    this.closed = new Promise((resolve) => {
      this.ws.once('close', (code, reason) => {
        this.closedWith = { code, reason: reason.toString() };
        resolve(this.closedWith);
      });
    });
    this.ws.on('message', (data, isBinary) => this.#receive(data, isBinary));
  }

  /** Opens a socket and waits for it to open (not for `welcome`). */
  static async connect(url: string, timeoutMs = 5000): Promise<SignalClient> {
    const client = new SignalClient(url);
    await client.#bounded(client.opened, timeoutMs, `signalling socket to open (${url})`);
    return client;
  }

  #receive(data: WebSocket.RawData, isBinary: boolean): void {
    let message: ServerMessage;
    try {
      if (isBinary) throw new Error('binary');
      message = JSON.parse(data.toString()) as ServerMessage;
    } catch {
      this.unparsed += 1;
      return;
    }
    this.counts.set(message.type, (this.counts.get(message.type) ?? 0) + 1);
    if (message.type === 'error') this.errorCodes.set(message.code, (this.errorCodes.get(message.code) ?? 0) + 1);
    this.onMessage?.(message);
    const waiter = this.#waiters.find((w) => w.match(message));
    if (waiter) {
      this.#waiters.splice(this.#waiters.indexOf(waiter), 1);
      waiter.resolve(message);
    } else if (this.#keepQueue) this.queue.push(message);
  }

  count(type: ServerMessage['type']): number {
    return this.counts.get(type) ?? 0;
  }

  /** The first queued (or next arriving) frame of `type` that satisfies `where`; earlier others stay queued. */
  next<T extends ServerMessage['type']>(type: T, timeoutMs = 5000, where: (m: MessageOf<T>) => boolean = () => true): Promise<MessageOf<T>> {
    const match = (m: ServerMessage): boolean => m.type === type && where(m as MessageOf<T>);
    const index = this.queue.findIndex(match);
    if (index >= 0) return Promise.resolve(this.queue.splice(index, 1)[0] as MessageOf<T>);
    let waiter: Waiter | undefined;
    const arrival = new Promise<MessageOf<T>>((resolve) => {
      waiter = { match, resolve: (m) => resolve(m as MessageOf<T>) };
      this.#waiters.push(waiter);
    });
    const seen = () => [...this.counts].map(([t, n]) => `${t}×${n}`).join(', ') || 'nothing';
    return this.#bounded(arrival, timeoutMs, `a '${type}' frame`, seen).finally(() => {
      this.#waiters = this.#waiters.filter((w) => w !== waiter);
    });
  }

  /** Waits for the socket to close; resolves its close code and reason. */
  waitClosed(timeoutMs = 5000): Promise<Closed> {
    return this.#bounded(this.closed, timeoutMs, 'the signalling socket to close');
  }

  send(message: ClientMessage): void {
    this.ws.send(JSON.stringify(message));
  }

  /** Sends any frame (text for strings, binary for bytes); for malformed-input tests. */
  sendRaw(frame: string | Uint8Array): void {
    if (this.ws.readyState !== WebSocket.OPEN) return;
    this.ws.send(frame, { binary: typeof frame !== 'string' });
  }

  get open(): boolean {
    return this.ws.readyState === WebSocket.OPEN;
  }

  /** Closes without `leave` (like a dropped network); resolves once closed. Safe to call twice. */
  async close(code = 1000): Promise<void> {
    if (this.ws.readyState === WebSocket.CLOSED) return;
    if (this.ws.readyState === WebSocket.CONNECTING) this.ws.terminate();
    else this.ws.close(code);
    await this.#bounded(this.closed, 3000, 'own socket close').catch(() => this.ws.terminate());
  }

  #bounded<T>(promise: Promise<T>, ms: number, label: string, detail?: () => string): Promise<T> {
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new TimeoutError(`timed out after ${ms} ms waiting for ${label}${detail ? `; received ${detail()}` : ''}`)), ms);
    });
    return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
  }
}
