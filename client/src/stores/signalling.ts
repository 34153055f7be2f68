/**
 * The signalling socket of one room session (protocol: relay/signal/protocol.ts).
 *
 * `ws(s)://host/signal/<room>?token=…&session=…`, JSON frames. The socket reconnects by itself with
 * backoff (0.5 s doubling to 5 s); reconnecting with the same session id lets the relay treat it as
 * the same session, so the other participants keep their peer links. Application close codes end the
 * session instead: 4001 replaced by another tab, 4401 bad/expired token, 4404 room gone, 4409 full.
 */
import { createSignal, type Accessor } from 'solid-js';
import type { ClientMessage, ServerMessage } from '../../../relay/signal/protocol.ts';
import { backoffDelay } from '../lib/backoff.ts';

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
};

export type Signalling = {
  state: Accessor<SignallingState>;
  send(message: ClientMessage): boolean;
  /** Says goodbye to the relay (the others drop our tiles at once) and stops reconnecting. */
  leave(): void;
  /** Closes without `leave` (the relay keeps the session for its grace period). */
  close(): void;
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

  const finish = (final: SignallingState) => {
    stopped = true;
    clearTimeout(retryTimer);
    clearInterval(pingTimer);
    setState(final);
    const s = socket;
    socket = null;
    if (s) {
      s.onopen = s.onmessage = s.onclose = s.onerror = null;
      if (s.readyState === WebSocket.OPEN || s.readyState === WebSocket.CONNECTING) s.close(1000, 'closed by client');
    }
  };

  const open = () => {
    if (stopped) return;
    const ws = new WebSocket(options.url);
    socket = ws;
    ws.onmessage = (event) => {
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
      socket = null;
      clearInterval(pingTimer);
      const terminal = TERMINAL[event.code];
      if (terminal) {
        finish(terminal);
        return;
      }
      if (stopped) return;
      setState('reconnecting');
      retryTimer = setTimeout(open, backoffDelay(attempt++));
    };
    ws.onopen = () => {
      clearInterval(pingTimer);
      pingTimer = setInterval(() => send({ type: 'ping' }), PING_MS);
    };
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
  };
}
