/**
 * Signed, expiring tokens: `base64url(JSON claims) "." base64url(HMAC-SHA256(secret, first part))`.
 *
 * A join token says who a participant is and in which room, until `exp`; it is checked on every
 * WebSocket (signalling and Yjs). A host key is given to whoever creates a room and turns a later join
 * into a host join. The secret is DATA_DIR's (or SECRET's), so tokens survive a relay restart.
 */
import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import { z } from 'zod';
import type { Db } from '../db.ts';

export type Role = 'host' | 'guest';

const joinClaims = z.object({
  v: z.literal(1),
  kind: z.literal('join'),
  room: z.string(),
  pid: z.string(),
  name: z.string(),
  role: z.enum(['host', 'guest']),
  exp: z.number(),
});
const hostClaims = z.object({ v: z.literal(1), kind: z.literal('host'), room: z.string() });

export type JoinClaims = z.infer<typeof joinClaims>;
export type HostClaims = z.infer<typeof hostClaims>;

export type VerifyResult<T> = { ok: true; claims: T } | { ok: false; reason: 'malformed' | 'bad-signature' | 'expired' | 'wrong-room' };

export class TokenSigner {
  readonly #key: Buffer;

  constructor(secret: string | Buffer) {
    this.#key = typeof secret === 'string' ? Buffer.from(secret, 'utf8') : secret;
  }

  #sign(claims: object): string {
    const body = Buffer.from(JSON.stringify(claims)).toString('base64url');
    return `${body}.${this.#mac(body).toString('base64url')}`;
  }

  #mac(body: string): Buffer {
    return createHmac('sha256', this.#key).update(body).digest();
  }

  #open(token: string): unknown {
    if (typeof token !== 'string' || token.length > 4096) return undefined;
    const dot = token.indexOf('.');
    if (dot <= 0) return undefined;
    const body = token.slice(0, dot);
    const sig = Buffer.from(token.slice(dot + 1), 'base64url');
    const want = this.#mac(body);
    if (sig.length !== want.length || !timingSafeEqual(sig, want)) return null;
    try {
      return JSON.parse(Buffer.from(body, 'base64url').toString('utf8'));
    } catch {
      return undefined;
    }
  }

  signJoin(claims: Omit<JoinClaims, 'v' | 'kind'>): string {
    return this.#sign({ v: 1, kind: 'join', ...claims });
  }

  signHost(room: string): string {
    return this.#sign({ v: 1, kind: 'host', room });
  }

  verifyJoin(token: string, room: string, now: number): VerifyResult<JoinClaims> {
    const raw = this.#open(token);
    if (raw === null) return { ok: false, reason: 'bad-signature' };
    const parsed = joinClaims.safeParse(raw);
    if (!parsed.success) return { ok: false, reason: 'malformed' };
    if (parsed.data.room !== room) return { ok: false, reason: 'wrong-room' };
    if (parsed.data.exp <= now) return { ok: false, reason: 'expired' };
    return { ok: true, claims: parsed.data };
  }

  verifyHost(token: string, room: string): boolean {
    const parsed = hostClaims.safeParse(this.#open(token));
    return parsed.success && parsed.data.room === room;
  }
}

/** The configured secret, or one generated on first start and kept in the database. */
export function loadSecret(db: Db, configured: string | undefined): Buffer {
  if (configured) return Buffer.from(configured, 'utf8');
  const row = db.prepare<[], { value: string }>("SELECT value FROM meta WHERE key = 'token-secret'").get();
  if (row) return Buffer.from(row.value, 'base64');
  const fresh = randomBytes(32);
  db.prepare("INSERT INTO meta (key, value) VALUES ('token-secret', ?)").run(fresh.toString('base64'));
  return fresh;
}
