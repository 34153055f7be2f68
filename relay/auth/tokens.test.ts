import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { TokenSigner, loadSecret } from './tokens.ts';
import { openDb } from '../db.ts';

const signer = new TokenSigner('a-secret-of-at-least-16-chars');
const claims = { room: 'abcde-fghjk-mnpqr', pid: 'p1', name: 'Ada', role: 'guest' as const, exp: 10_000 };

test('verifyJoin() accepts its own token for the right room before it expires', () => {
  const r = signer.verifyJoin(signer.signJoin(claims), claims.room, 9_999);
  assert.ok(r.ok);
  if (r.ok) assert.is(r.claims.name, 'Ada');
});

test('verifyJoin() refuses expired, wrong-room, tampered and foreign tokens', () => {
  const token = signer.signJoin(claims);
  const reason = (r: ReturnType<TokenSigner['verifyJoin']>) => (r.ok ? 'ok' : r.reason);
  assert.is(reason(signer.verifyJoin(token, claims.room, 10_000)), 'expired');
  assert.is(reason(signer.verifyJoin(token, 'zzzzz-zzzzz-zzzzz', 0)), 'wrong-room');
  const [body, sig] = token.split('.') as [string, string];
  const forged = Buffer.from(JSON.stringify({ ...claims, v: 1, kind: 'join', role: 'host' })).toString('base64url');
  assert.is(reason(signer.verifyJoin(`${forged}.${sig}`, claims.room, 0)), 'bad-signature');
  assert.is(reason(new TokenSigner('another-secret-0123456789').verifyJoin(token, claims.room, 0)), 'bad-signature');
  assert.is(reason(signer.verifyJoin(body, claims.room, 0)), 'malformed');
  assert.is(reason(signer.verifyJoin('', claims.room, 0)), 'malformed');
});

test('a host key is not a join token and only opens its own room', () => {
  const host = signer.signHost(claims.room);
  assert.ok(signer.verifyHost(host, claims.room));
  assert.not.ok(signer.verifyHost(host, 'zzzzz-zzzzz-zzzzz'));
  assert.not.ok(signer.verifyJoin(host, claims.room, 0).ok);
  assert.not.ok(signer.verifyHost(signer.signJoin(claims), claims.room));
});

test('loadSecret() generates a secret once and keeps it', () => {
  const db = openDb(':memory:');
  const a = loadSecret(db, undefined);
  assert.is(a.length, 32);
  assert.ok(loadSecret(db, undefined).equals(a));
  assert.is(loadSecret(db, 'configured-secret-value').toString(), 'configured-secret-value');
});

test.run();
