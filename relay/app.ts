/**
 * Builds the relay from injected dependencies: the Hono app (HTTP) and the WebSocket upgrade handler for
 * `/signal/<room>` and `/yjs/<room>`. Only server.ts listens and only main.ts reads the environment.
 */
import { Hono } from 'hono';
import type { IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import { WebSocketServer } from 'ws';
import type { WebSocket } from 'ws';
import * as authProtocol from 'y-protocols/auth';
import * as encoding from 'lib0/encoding';
import type { Config } from './config.ts';
import type { LoadMonitor } from './load-monitor.ts';
import type { Db } from './db.ts';
import type { Logger } from './log.ts';
import { TokenSigner, loadSecret } from './auth/tokens.ts';
import { RoomStore } from './rooms/room-store.ts';
import { isRoomId } from './rooms/room-id.ts';
import { SignalHub } from './signal/hub.ts';
import { CLOSE, SESSION_ID } from './signal/protocol.ts';
import type { ServerMessage } from './signal/protocol.ts';
import { DocHost, MAX_Y_FRAME } from './yjs/doc-host.ts';
import { DocStore } from './yjs/doc-store.ts';
import { MSG_AUTH } from './yjs/y-message.ts';
import { createApi } from './http/api.ts';
import { serveClient } from './http/static.ts';
import { renderMetrics } from './http/metrics.ts';
import { lowerHand } from '../crdt/hands.ts';
import { pruneReactions } from '../crdt/reactions.ts';

/** `load`: the process-wide capacity limit (load-monitor.ts) every relay room's selectors follow. */
export type RelayDeps = { config: Config; db: Db; log: Logger; clientDir: string; clock?: () => number; load?: Pick<LoadMonitor, 'limit' | 'level'> };

export type Relay = {
  app: Hono;
  upgrade(req: IncomingMessage, socket: Duplex, head: Buffer): void;
  /** Runs periodic work (grace periods, unloading idle documents, pruning reactions). */
  tick(): void;
  close(): void;
};

export function createRelay(deps: RelayDeps): Relay {
  const { config, db, log } = deps;
  const clock = deps.clock ?? Date.now;
  const startedAt = clock();
  const rooms = new RoomStore(db);
  const tokens = new TokenSigner(loadSecret(db, config.secret));
  const docs = new DocHost(new DocStore(db), log, clock);
  const hub = new SignalHub(
    {
      meshMax: config.meshMax,
      roomMax: config.roomMax,
      iceServers: config.iceServers,
      leaveGraceMs: config.leaveGraceMs,
      relayAvailable: config.relayMode,
      modeHoldMs: config.modeHoldMs,
    },
    {
      onLeft: (roomId, participantId) => {
        try {
          lowerHand(docs.open(roomId).doc, participantId);
        } catch (err) {
          log.error('yjs: cannot lower the hand of a participant who left', { room: roomId, error: (err as Error).message });
        }
      },
    },
    log,
    clock,
    {
      peer: {
        iceServers: config.iceServers,
        icePortRange: config.rtc.portRange,
        announcedIp: config.rtc.announcedIp,
        iceAdditionalHostAddresses: config.rtc.hostAddresses.length > 0 ? config.rtc.hostAddresses : undefined,
        transportCc: config.transportCc,
      },
      core: deps.load ? { subscriptions: { selector: { capacity: deps.load.limit } } } : undefined,
      audioFrames: config.audioFrames,
      largeRoom: config.largeRoom,
    },
  );

  const app = new Hono();
  app.get('/health', (c) => c.json({ status: 'ok', uptimeS: Math.round((clock() - startedAt) / 1000), ...hub.stats() }));
  app.get('/metrics', (c) => {
    const s = hub.stats();
    const r = hub.relays.stats();
    const body = renderMetrics([
      { name: 'palabre_rooms', help: 'Rooms with at least one signalling session.', type: 'gauge', samples: [{ value: s.rooms }] },
      { name: 'palabre_sessions', help: 'Signalling sessions in all rooms.', type: 'gauge', samples: [{ value: s.sessions }] },
      { name: 'palabre_signal_messages_total', help: 'Valid signalling messages received.', type: 'counter', samples: [{ value: hub.counters.accepted }] },
      { name: 'palabre_signal_forwarded_total', help: 'Peer signals forwarded.', type: 'counter', samples: [{ value: hub.counters.forwarded }] },
      { name: 'palabre_relay_rooms', help: 'Rooms with a relay (warm or carrying media).', type: 'gauge', samples: [{ value: r.rooms }] },
      { name: 'palabre_relay_peers', help: 'Relay connections (one per session on the relay).', type: 'gauge', samples: [{ value: r.peers }] },
      { name: 'palabre_relay_capacity_level', help: 'Capacity level: 0 forwards everything; higher levels forward smaller layers, then fewer videos (relay over capacity).', type: 'gauge', samples: [{ value: deps.load?.level() ?? 0 }] },
      {
        name: 'palabre_relay_rtp_received_total',
        help: 'RTP packets the relay received from publishers, by kind (padding: padding-only video packets, browsers probing their uplink).',
        type: 'counter',
        samples: Object.entries(hub.relays.received()).map(([kind, value]) => ({ labels: { kind }, value })),
      },
      { name: 'palabre_relay_session_errors_total', help: 'Relay connections that failed (offers the relay could not answer…).', type: 'counter', samples: [{ value: hub.relays.counters.sessionErrors }] },
      { name: 'palabre_signal_rejected_total', help: 'Signalling frames rejected, by reason.', type: 'counter', samples: Object.entries(hub.counters.rejected).map(([reason, value]) => ({ labels: { reason }, value })) },
      { name: 'palabre_yjs_updates_total', help: 'Yjs updates applied.', type: 'counter', samples: [{ value: docs.counters.applied }] },
      { name: 'palabre_yjs_rejected_total', help: 'Yjs frames rejected as malformed.', type: 'counter', samples: [{ value: docs.counters.rejected }] },
    ]);
    return c.body(body, 200, { 'content-type': 'text/plain; version=0.0.4; charset=utf-8' });
  });
  app.route('/api', createApi({ config, rooms, tokens, clock, participantCount: (id) => hub.participantCount(id) }));
  serveClient(app, deps.clientDir);
  app.notFound((c) => c.json({ error: { code: 'not-found', message: 'not found' } }, 404));
  app.onError((err, c) => {
    log.error('http: unhandled error', { path: c.req.path, error: err.message });
    return c.json({ error: { code: 'internal', message: 'internal error' } }, 500);
  });

  const signalWss = new WebSocketServer({ noServer: true, maxPayload: 1024 * 1024 });
  const yjsWss = new WebSocketServer({ noServer: true, maxPayload: 4 * MAX_Y_FRAME });

  function upgrade(req: IncomingMessage, socket: Duplex, head: Buffer): void {
    socket.on('error', () => socket.destroy());
    const target = parseUpgradeTarget(req.url);
    if (!target) {
      socket.end('HTTP/1.1 404 Not Found\r\nConnection: close\r\nContent-Length: 0\r\n\r\n');
      return;
    }
    const { kind, roomId, url } = target;
    const wss = kind === 'signal' ? signalWss : yjsWss;
    wss.handleUpgrade(req, socket, head, (ws) => {
      const refusal = admit(roomId, url.searchParams);
      if (!refusal.ok) {
        refuse(kind, ws, refusal.code, refusal.reason);
        return;
      }
      if (kind === 'yjs') {
        try {
          docs.attach(roomId, ws);
        } catch (err) {
          log.error('yjs: cannot open room document', { room: roomId, error: (err as Error).message });
          ws.close(1011, 'this meeting\'s document cannot be loaded');
        }
      }
      else {
        const session = url.searchParams.get('session') ?? '';
        if (!SESSION_ID.test(session)) {
          refuse(kind, ws, CLOSE.forbidden, 'missing or malformed session parameter');
          return;
        }
        hub.attach(roomId, { participantId: refusal.claims.pid, sessionId: session, name: refusal.claims.name }, ws);
      }
    });
  }

  function admit(roomId: string, params: URLSearchParams) {
    if (!isRoomId(roomId) || !rooms.get(roomId)) return { ok: false, code: CLOSE.notFound, reason: 'no meeting with this code' } as const;
    const verdict = tokens.verifyJoin(params.get('token') ?? '', roomId, clock());
    if (!verdict.ok) return { ok: false, code: CLOSE.badToken, reason: `token refused: ${verdict.reason}` } as const;
    return { ok: true, claims: verdict.claims } as const;
  }

  function refuse(kind: 'signal' | 'yjs', ws: WebSocket, code: number, reason: string): void {
    if (kind === 'signal') {
      const errorCode = code === CLOSE.notFound ? 'room-not-found' : code === CLOSE.badToken ? 'bad-token' : 'bad-session';
      const message: ServerMessage = { type: 'error', code: errorCode, message: reason, fatal: true };
      ws.send(JSON.stringify(message));
    } else {
      ws.send(encoding.encode((e) => {
        encoding.writeVarUint(e, MSG_AUTH);
        authProtocol.writePermissionDenied(e, reason);
      }));
    }
    ws.close(code, reason);
  }

  return {
    app,
    upgrade,
    tick() {
      hub.sweep();
      docs.sweep((_id, doc, now) => pruneReactions(doc, now));
    },
    close() {
      hub.close();
      docs.close();
      signalWss.close();
      yjsWss.close();
    },
  };
}

/** `/signal/<room>` or `/yjs/<room>`, or undefined for anything else, including unparsable targets. */
function parseUpgradeTarget(raw: string | undefined) {
  try {
    const url = new URL(raw ?? '/', 'http://relay');
    const match = /^\/(signal|yjs)\/([^/]+)$/.exec(url.pathname);
    if (!match) return undefined;
    return { kind: match[1] as 'signal' | 'yjs', roomId: decodeURIComponent(match[2]!), url };
  } catch {
    return undefined;
  }
}
