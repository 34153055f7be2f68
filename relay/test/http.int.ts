/**
 * The relay's edges against bad input: the join API's validation, health and metrics, and the
 * signalling socket's admission (token, session, room) and per-frame checks (size, JSON, schema,
 * rate, cross-room addressing). Every refusal must be a clear error, never a hang or a silent drop.
 */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { SignalClient, catchUncaught, createRoom, http, joinRoom, newSessionId, postJson, rawUpgrade, signalUrl, sleep, startTestRelay } from './harness.ts';
import type { HttpReply, Joined, TestRelay } from './harness.ts';

let relay: TestRelay;
let roomId: string;
const sockets: SignalClient[] = [];

test.before(async () => {
  // Many short-lived members come and go here: let them leave at once and not fill the room.
  relay = await startTestRelay({ env: { MESH_MAX: '50', LEAVE_GRACE_MS: '0' } });
  roomId = (await createRoom(relay)).roomId;
});

test.after.each(async () => {
  await Promise.all(sockets.splice(0).map((s) => s.close()));
});

test.after(async () => {
  await relay.close();
});

function errorOf(reply: HttpReply): { code: string; message: string } {
  const body = reply.json as { error?: { code: string; message: string } } | undefined;
  assert.ok(body?.error, `a JSON error body, got ${reply.text.slice(0, 200)}`);
  return body.error;
}

async function connect(joined: Joined | { roomId: string; token: string }, session: string | undefined): Promise<SignalClient> {
  const s = new SignalClient(signalUrl(relay.wsBase, joined.roomId, joined.token, session));
  sockets.push(s);
  return s;
}

async function member(name: string, room = roomId): Promise<{ joined: Joined; socket: SignalClient; session: string }> {
  const joined = await joinRoom(relay, room, name);
  const session = newSessionId(name);
  const socket = await connect(joined, session);
  await socket.next('welcome');
  return { joined, socket, session };
}

test('join: an unknown room answers 404 with a JSON error', async () => {
  const reply = await postJson(relay, '/api/rooms/zzzzz-zzzzz-zzzzz/join', { name: 'Zoe' });
  assert.is(reply.status, 404);
  assert.is(errorOf(reply).code, 'room-not-found');
});

test('join: a malformed room id answers 404', async () => {
  for (const id of ['abc', 'ABCDE-FGHIJ-KLMNO', 'aaaaa-aaaaa-aaaai', '%00', 'a'.repeat(300)]) {
    const reply = await postJson(relay, `/api/rooms/${id}/join`, { name: 'Zoe' });
    assert.is(reply.status, 404, `room id ${id.slice(0, 20)}`);
    errorOf(reply);
  }
});

test('join: a body that is not JSON is refused with 4xx (400 bad-json, 415 without the JSON content type)', async () => {
  const badJson = await http(relay, `/api/rooms/${roomId}/join`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"name": "Zoe"' });
  assert.is(badJson.status, 400);
  assert.is(errorOf(badJson).code, 'bad-json');
  const plain = await http(relay, `/api/rooms/${roomId}/join`, { method: 'POST', headers: { 'content-type': 'text/plain' }, body: 'name=Zoe' });
  assert.is(plain.status, 415);
  errorOf(plain);
});

test('join: a missing, blank, oversized or non-string name is a 400 whose message names the field', async () => {
  const cases: [unknown, RegExp][] = [
    [{}, /name/],
    [{ name: '   ' }, /name is required/],
    [{ name: 'x'.repeat(65) }, /at most 64/],
    [{ name: 42 }, /name/],
    [[], /body|expected object/],
    [{ name: 'Zoe', admin: true }, /admin|unrecognized/i],
  ];
  for (const [body, message] of cases) {
    const reply = await postJson(relay, `/api/rooms/${roomId}/join`, body);
    assert.is(reply.status, 400, JSON.stringify(body));
    const error = errorOf(reply);
    assert.is(error.code, 'bad-request');
    assert.match(error.message, message);
  }
  const ok = await postJson(relay, `/api/rooms/${roomId}/join`, { name: 'x'.repeat(64) });
  assert.is(ok.status, 200, 'exactly 64 characters is fine');
});

test('join: a body over 16 KB is refused with 413, with or without Content-Length', async () => {
  const big = JSON.stringify({ name: 'x'.repeat(17 * 1024) });
  const sized = await http(relay, `/api/rooms/${roomId}/join`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: big });
  assert.is(sized.status, 413);
  assert.is(errorOf(sized).code, 'too-large');
  const chunks = [big.slice(0, 8000), big.slice(8000)];
  const stream = new ReadableStream<Uint8Array>({
    pull(controller) {
      const next = chunks.shift();
      if (next === undefined) controller.close();
      else controller.enqueue(new TextEncoder().encode(next));
    },
  });
  const chunked = await http(relay, `/api/rooms/${roomId}/join`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: stream, duplex: 'half' } as RequestInit);
  assert.is(chunked.status, 413);
});

test('GET /health answers 200 JSON and /metrics exposes palabre_sessions as Prometheus text', async () => {
  const health = await http(relay, '/health');
  assert.is(health.status, 200);
  assert.is((health.json as { status: string }).status, 'ok');
  const before = await http(relay, '/metrics');
  assert.is(before.status, 200);
  assert.match(before.headers.get('content-type') ?? '', /^text\/plain/);
  assert.match(before.text, /^# TYPE palabre_sessions gauge$/m);
  const { socket } = await member('Metric');
  const during = await http(relay, '/metrics');
  assert.match(during.text, /^palabre_sessions 1$/m, 'one connected session is counted');
  socket.send({ type: 'leave' });
  await socket.waitClosed();
});

test('signalling: a forged token gets a fatal bad-token error and close 4401', async () => {
  const joined = await joinRoom(relay, roomId, 'Forger');
  const forged = joined.token.slice(0, -3) + (joined.token.endsWith('AAA') ? 'BBB' : 'AAA');
  for (const token of [forged, '', 'garbage', 'a.b']) {
    const s = await connect({ roomId, token }, newSessionId());
    const error = await s.next('error');
    assert.is(error.code, 'bad-token', `token ${token.slice(0, 12)}`);
    assert.is(error.fatal, true);
    assert.is((await s.waitClosed()).code, 4401);
  }
});

test('signalling: a missing or malformed session id is closed with 4403', async () => {
  const joined = await joinRoom(relay, roomId, 'NoSession');
  for (const session of [undefined, 'short', 'has spaces in it', 'x'.repeat(65)]) {
    const s = await connect(joined, session);
    assert.is((await s.next('error')).code, 'bad-session');
    assert.is((await s.waitClosed()).code, 4403, `session ${String(session)}`);
  }
});

test('signalling: a session id of another participant is refused with 4403 (no hijack)', async () => {
  const victim = await member('Victim');
  const thief = await joinRoom(relay, roomId, 'Thief');
  const s = await connect(thief, victim.session);
  assert.is((await s.next('error')).fatal, true);
  assert.is((await s.waitClosed()).code, 4403);
  assert.ok(victim.socket.open, 'the real session is untouched');
});

test('signalling: an unknown room is closed with 4404', async () => {
  const joined = await joinRoom(relay, roomId, 'Lost');
  const s = await connect({ roomId: 'zzzzz-zzzzz-zzzzz', token: joined.token }, newSessionId());
  assert.is((await s.next('error')).code, 'room-not-found');
  assert.is((await s.waitClosed()).code, 4404);
});

test('signalling: a frame over 64 KB gets too-large and the socket stays open; over 1 MB the socket is closed 1009', async () => {
  const { socket } = await member('Big');
  socket.sendRaw(JSON.stringify({ type: 'ping', pad: 'x'.repeat(200 * 1024) }));
  const error = await socket.next('error');
  assert.is(error.code, 'too-large');
  assert.is(error.fatal, false);
  socket.send({ type: 'ping', id: 7 });
  assert.is((await socket.next('pong')).id, 7, 'still served after the error');
  socket.sendRaw('x'.repeat(1024 * 1024 + 1));
  assert.is((await socket.waitClosed()).code, 1009);
});

test('signalling: malformed frames each get one non-fatal error naming the problem', async () => {
  const { socket, session } = await member('Sloppy');
  const cases: [string | Uint8Array, string][] = [
    ['not json', 'bad-json'],
    ['{"type":"nope"}', 'bad-message'],
    ['{"type":"signal","to":"short","data":{}}', 'bad-message'],
    ['{"type":"signal","to":"abcdefgh12","data":"offer"}', 'bad-message'],
    ['{"type":"ping","extra":1}', 'bad-message'],
    ['[]', 'bad-message'],
    ['null', 'bad-message'],
    [new Uint8Array([0x7b, 0x7d]), 'bad-message'],
    [JSON.stringify({ type: 'signal', to: session, data: {} }), 'unknown-peer'],
  ];
  for (const [frame, code] of cases) {
    socket.sendRaw(frame);
    const error = await socket.next('error');
    assert.is(error.code, code, String(frame));
    assert.is(error.fatal, false);
  }
  assert.ok(socket.open);
});

test('signalling: a signal addressed to a session of another room gets unknown-peer and is not delivered there', async () => {
  const otherRoom = (await createRoom(relay)).roomId;
  const there = await member('There', otherRoom);
  const here = await member('Here');
  here.socket.send({ type: 'signal', to: there.session, data: { sdp: 'v=0', type: 'offer' } });
  assert.is((await here.socket.next('error')).code, 'unknown-peer');
  here.socket.send({ type: 'ping', id: 1 });
  await here.socket.next('pong');
  await sleep(200);
  assert.is(there.socket.count('signal'), 0, 'nothing reached the other room');
});

test('signalling: a flood beyond 400 frames is answered with rate-limited errors and the socket survives', async () => {
  const { socket } = await member('Flood');
  for (let i = 0; i < 600; i++) socket.send({ type: 'ping', id: i });
  socket.send({ type: 'ping', id: 9999 });
  await sleep(1100); // the bucket refills at 200 per second
  socket.send({ type: 'ping', id: 10_000 });
  await socket.next('pong', 3000, (m) => m.id === 10_000);
  const limited = socket.errorCodes.get('rate-limited') ?? 0;
  assert.ok(limited > 0 && limited <= 201, `rate-limited ${limited} of 601`);
  assert.ok(socket.count('pong') >= 400, 'the burst of 400 is served');
  assert.is(socket.count('pong') + limited, 602, 'every frame got exactly one answer');
});

test('a socket URL with a malformed %-escape or an unparsable request target is answered with an error, not a crash', async () => {
  const uncaught = catchUncaught();
  try {
    const targets = ['/signal/%', `/yjs/${roomId}%E0%A4%A`, '/signal/abc%ZZ?token=x&session=abcdefgh', '//[::1/signal/x', 'http://[/yjs/x'];
    const answers = await Promise.all(targets.map(async (t) => `${t} → ${await rawUpgrade(relay.port, t)}`));
    assert.equal(uncaught.errors, [], `uncaught in the relay's upgrade handler; answers: ${answers.join('; ')}`);
    for (const a of answers) assert.match(a, /→ HTTP\/1\.1 4\d\d /, a);
    assert.is((await http(relay, '/health')).status, 200);
  } finally {
    uncaught.stop();
  }
});

test.run();
