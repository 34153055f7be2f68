/**
 * Shared helpers for the relay's integration tests: a real relay on an ephemeral port and a temporary
 * DATA_DIR, the join API, and bounded waits. Every wait has a timeout that names what it waited for,
 * so a broken relay fails a test instead of hanging it. Signalling and mesh participants live in
 * signal-client.ts and mesh-participant.ts and are re-exported here.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadConfig } from '../config.ts';
import { startRelay } from '../server.ts';
import type { Logger } from '../log.ts';
import { within } from './wait.ts';

export { SignalClient, signalUrl } from './signal-client.ts';
export { NodeParticipant } from './mesh-participant.ts';
export type { Link, ParticipantOptions } from './mesh-participant.ts';
export { within, waitUntil, sleep, prng, TimeoutError } from './wait.ts';

export type LogLine = { level: 'debug' | 'info' | 'warn' | 'error'; msg: string; fields?: Record<string, unknown> };

export type TestRelay = {
  url: string;
  port: number;
  /** `ws://127.0.0.1:PORT` */
  wsBase: string;
  dataDir: string;
  /** Every line the relay logged at warn or above, for assertions. */
  logs: LogLine[];
  close(): Promise<void>;
};

export type RelayOptions = {
  env?: Record<string, string>;
  /** Reuse a DATA_DIR (the caller removes it); otherwise a fresh one is made and removed on close. */
  dataDir?: string;
  /** Lowest level echoed to stderr (default warn). Lines at warn and above are always kept in `logs`. */
  echo?: LogLine['level'] | 'silent';
};

export function makeTempDir(): string {
  return mkdtempSync(join(tmpdir(), 'palabre-test-'));
}

export function removeDir(dir: string): void {
  rmSync(dir, { recursive: true, force: true });
}

const LEVELS = { debug: 10, info: 20, warn: 30, error: 40, silent: 99 } as const;

export async function startTestRelay(options: RelayOptions = {}): Promise<TestRelay> {
  const ownsDir = options.dataDir === undefined;
  const dataDir = options.dataDir ?? makeTempDir();
  const logs: LogLine[] = [];
  const echoAt = LEVELS[options.echo ?? 'warn'];
  const emit = (level: LogLine['level']) => (msg: string, fields?: Record<string, unknown>) => {
    if (LEVELS[level] >= LEVELS.warn) logs.push(fields ? { level, msg, fields } : { level, msg });
    if (LEVELS[level] >= echoAt) process.stderr.write(`[relay ${level}] ${msg} ${fields ? JSON.stringify(fields) : ''}\n`);
  };
  const log: Logger = { debug: emit('debug'), info: emit('info'), warn: emit('warn'), error: emit('error') };
  const config = loadConfig({ PORT: '0', HOST: '127.0.0.1', DATA_DIR: dataDir, LOG_LEVEL: 'warn', ...options.env });
  const relay = await startRelay(config, { clientDir: '/nonexistent', log });
  let closing: Promise<void> | undefined;
  return {
    url: relay.url,
    port: relay.port,
    wsBase: `ws://127.0.0.1:${relay.port}`,
    dataDir,
    logs,
    close() {
      // Bounded: a connection the relay never answered keeps its HTTP server from closing, and an
      // awaited close that never settles would end the whole test process early.
      closing ??= within(relay.close(), 3000, 'relay.close()')
        .catch((err: Error) => process.stderr.write(`[harness] ${err.message}: a socket is stuck open in the relay; moving on\n`))
        .then(() => {
          if (ownsDir) removeDir(dataDir);
        });
      return closing;
    },
  };
}

// ---- Join API ----------------------------------------------------------------------------------

export type CreatedRoom = { roomId: string; url: string; hostToken: string };
export type Joined = { roomId: string; participantId: string; token: string; expiresAt: number; name: string };
export type HttpReply = { status: number; headers: Headers; text: string; json: unknown };

/** One HTTP request to the relay; the body is parsed as JSON when it is JSON. Never hangs. */
export async function http(relay: TestRelay, path: string, init: RequestInit = {}, timeoutMs = 5000): Promise<HttpReply> {
  const res = await fetch(relay.url + path, { ...init, signal: AbortSignal.timeout(timeoutMs) });
  const text = await res.text();
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    json = undefined;
  }
  return { status: res.status, headers: res.headers, text, json };
}

export function postJson(relay: TestRelay, path: string, body: unknown): Promise<HttpReply> {
  return http(relay, path, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
}

export async function createRoom(relay: TestRelay): Promise<CreatedRoom> {
  const reply = await http(relay, '/api/rooms', { method: 'POST' });
  if (reply.status !== 201) throw new Error(`POST /api/rooms answered ${reply.status}: ${reply.text}`);
  return reply.json as CreatedRoom;
}

export async function joinRoom(relay: TestRelay, roomId: string, name: string): Promise<Joined> {
  const reply = await postJson(relay, `/api/rooms/${roomId}/join`, { name });
  if (reply.status !== 200) throw new Error(`join ${roomId} answered ${reply.status}: ${reply.text}`);
  const body = reply.json as Omit<Joined, 'roomId' | 'name'>;
  return { roomId, name, participantId: body.participantId, token: body.token, expiresAt: body.expiresAt };
}

let sessionCounter = 0;
/** A session id as the browser makes one per page load (8–64 of [A-Za-z0-9_-]). */
export function newSessionId(label = 's'): string {
  sessionCounter += 1;
  return `${label}-${process.pid}-${sessionCounter}-${Math.random().toString(36).slice(2, 10)}`.slice(0, 64);
}

/**
 * Sends a WebSocket upgrade request for `target` (the raw request-target, unescaped by us) over a plain
 * TCP socket and resolves the first line of the answer, `closed without answer`, or `no answer`.
 */
export function rawUpgrade(port: number, target: string, timeoutMs = 1000): Promise<string> {
  return new Promise((resolve) => {
    const socket = connect(port, '127.0.0.1');
    let received = '';
    const done = (answer: string) => {
      clearTimeout(timer);
      socket.destroy();
      resolve(answer);
    };
    const timer = setTimeout(() => done('no answer'), timeoutMs);
    socket.on('data', (chunk) => {
      received += chunk.toString('latin1');
      if (received.includes('\r\n')) done(received.slice(0, received.indexOf('\r\n')));
    });
    socket.on('close', () => done(received ? received.split('\r\n')[0]! : 'closed without answer'));
    socket.on('error', () => {});
    const key = Buffer.from(Array.from({ length: 16 }, (_, i) => i)).toString('base64');
    socket.write(`GET ${target} HTTP/1.1\r\nHost: 127.0.0.1\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Key: ${key}\r\nSec-WebSocket-Version: 13\r\n\r\n`);
  });
}

/**
 * Collects uncaught exceptions and unhandled rejections (the relay runs in this process) until `stop()`,
 * each as its message and the first relay source line of its stack.
 */
export function catchUncaught(): { errors: string[]; stop(): void } {
  const errors: string[] = [];
  const record = (err: unknown) => {
    const lines = ((err as Error)?.stack ?? String(err)).split('\n');
    const where = lines.find((l) => /\/(relay|crdt)\//.test(l) && !l.includes('/relay/test/'))?.trim();
    errors.push(where ? `${lines[0]} ${where}` : lines.slice(0, 3).join(' | '));
  };
  process.on('uncaughtException', record);
  process.on('unhandledRejection', record);
  return {
    errors,
    stop() {
      process.off('uncaughtException', record);
      process.off('unhandledRejection', record);
    },
  };
}
