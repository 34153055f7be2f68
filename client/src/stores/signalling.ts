/**
 * The signalling socket of one room session (protocol: relay/signal/protocol.ts).
 *
 * `ws(s)://host/signal/<room>?token=…&session=…`, JSON frames. The socket reconnects by itself with
 * backoff (0.5 s doubling to 5 s); reconnecting with the same session id lets the relay treat it as
 * the same session, so the other participants keep their peer links. Application close codes end the
 * session instead: 4001 replaced by another tab, 4401 bad/expired token, 4404 room gone, 4409 full.
 * `probe()` checks a socket that may be dead without knowing it (lib/socketProbe.ts): the peer
 * connections call it when the network is in trouble or back, and `onReconnected` tells them when a new
 * socket took over, so what they sent into the old one can go again.
 */
import { createSignal, type Accessor } from 'solid-js';
import type { ClientMessage, ServerMessage } from '../../../relay/signal/protocol.ts';
import { backoffDelay } from '../lib/backoff.ts';
import { PROBE_TIMEOUT_MS, connectTimeout, mayAttemptEarly, probeUnanswered } from '../lib/socketProbe.ts';

export type SignallingState =
  | 'connecting'
  | 'connected'
  | 'reconnecting'
  | 'replaced'
  | 'unauthorized'
  | 'room-gone'
  | 'room-full'
  | 'left';

export type SignallingOptions = {
  url: string;
  onMessage(message: ServerMessage): void;
  /** A socket opened after an earlier one was lost or given up (not the first). */
  onReconnected?(): void;
};

export type Signalling = {
  state: Accessor<SignallingState>;
  send(message: ClientMessage): boolean;
  /** Says goodbye to the relay (the others drop our tiles at once) and stops reconnecting. */
  leave(): void;
  /** Closes without `leave` (the relay keeps the session for its grace period). */
  close(): void;
  /** The network may have been down: make sure the socket is alive (ping; a new socket if unanswered). */
  probe(): void;
};

const PING_MS = 20_000;
const TERMINAL: Record<number, SignallingState> = { 4001: 'replaced', 4401: 'unauthorized', 4403: 'unauthorized', 4404: 'room-gone', 4409: 'room-full' };

export function signallingUrl(roomId: string, token: string, sessionId: string): string {
  const scheme = location.protocol === 'https:' ? 'wss:' : 'ws:';
  const query = new URLSearchParams({ token, session: sessionId });
  return `${scheme}//${location.host}/signal/${encodeURIComponent(roomId)}?${query}`;
}

export function createSignalling(options: SignallingOptions): Signalling {
  const [state, setState] = createSignal<SignallingState>('connecting');
  let socket: WebSocket | null = null;
  let attempt = 0;
  let retryTimer: ReturnType<typeof setTimeout> | undefined;
  let pingTimer: ReturnType<typeof setInterval> | undefined;
  let stopped = false;
  let opened = false;
  let lastHeardAt = 0;
  let lastAttemptAt = 0;
  let probeSentAt: number | null = null;
  let probeTimer: ReturnType<typeof setTimeout> | undefined;
  let connectTimer: ReturnType<typeof setTimeout> | undefined;
  let connectsTimedOut = 0;

  const detach = (s: WebSocket) => {
    s.onopen = s.onmessage = s.onclose = s.onerror = null;
    if (s.readyState === WebSocket.OPEN || s.readyState === WebSocket.CONNECTING) s.close(1000, 'closed by client');
  };

  const stopTimers = () => {
    clearTimeout(retryTimer);
    clearTimeout(probeTimer);
    clearTimeout(connectTimer);
    clearInterval(pingTimer);
  };

  const finish = (final: SignallingState) => {
    stopped = true;
    stopTimers();
    setState(final);
    const s = socket;
    socket = null;
    if (s) detach(s);
  };

  /** The socket is lost (closed, or given up): reconnect, at once or after the backoff. */
  const lost = (at: 'now' | 'backoff') => {
    socket = null;
    stopTimers();
    probeSentAt = null;
    if (stopped) return;
    setState('reconnecting');
    if (at === 'now') open();
    else retryTimer = setTimeout(open, backoffDelay(attempt++));
  };

  const open = () => {
    if (stopped) return;
    const ws = new WebSocket(options.url);
    socket = ws;
    lastAttemptAt = Date.now();
    clearTimeout(connectTimer);
    connectTimer = setTimeout(() => {
      if (socket !== ws || ws.readyState !== WebSocket.CONNECTING) return;
      connectsTimedOut++;
      detach(ws);
      lost('backoff');
    }, connectTimeout(connectsTimedOut));
    ws.onmessage = (event) => {
      lastHeardAt = Date.now();
      probeSentAt = null;
      clearTimeout(probeTimer);
      if (typeof event.data !== 'string') return;
      let message: ServerMessage;
      try {
        message = JSON.parse(event.data) as ServerMessage;
      } catch {
        return;
      }
      if (message.type === 'welcome') {
        attempt = 0;
        setState('connected');
      }
      options.onMessage(message); // first, so the session knows why before the state says it ended
      if (message.type === 'error' && message.fatal) {
        if (message.code === 'room-full') finish('room-full');
        else if (message.code === 'replaced') finish('replaced');
      }
    };
    ws.onclose = (event) => {
      if (socket !== ws) return;
      const terminal = TERMINAL[event.code];
      if (terminal) {
        finish(terminal);
        return;
      }
      lost('backoff');
    };
    ws.onopen = () => {
      clearTimeout(connectTimer);
      connectsTimedOut = 0;
      clearInterval(pingTimer);
      pingTimer = setInterval(() => send({ type: 'ping' }), PING_MS);
      if (opened) options.onReconnected?.();
      opened = true;
    };
  };

  const probe = () => {
    if (stopped) return;
    const now = Date.now();
    if (!socket) {
      // Waiting out the backoff: the network may be back, try now (rate-limited).
      if (mayAttemptEarly(lastAttemptAt, now)) lost('now');
      return;
    }
    if (socket.readyState !== WebSocket.OPEN || probeSentAt !== null) return; // connecting (timed out above), or a probe pending
    const ws = socket;
    probeSentAt = now;
    send({ type: 'ping' });
    probeTimer = setTimeout(() => {
      if (socket !== ws || !probeUnanswered({ probeSentAt, lastHeardAt }, Date.now())) return;
      console.warn(`signalling: no answer to a probe within ${PROBE_TIMEOUT_MS} ms; opening a new socket`);
      detach(ws);
      lost('now');
    }, PROBE_TIMEOUT_MS);
  };

  const send = (message: ClientMessage): boolean => {
    if (!socket || socket.readyState !== WebSocket.OPEN) return false;
    socket.send(JSON.stringify(message));
    return true;
  };

  open();

  return {
    state,
    send,
    leave() {
      if (stopped) return;
      send({ type: 'leave' });
      finish('left');
    },
    close() {
      if (!stopped) finish(state());
    },
    probe,
  };
}
