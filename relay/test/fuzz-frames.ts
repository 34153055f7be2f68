/**
 * Frame generators for the relay fuzz test, pure functions of a seeded PRNG so a failing run reproduces
 * from its printed seed. Signalling frames mix random bytes, random text and JSON, and real messages
 * (pings, and `signal`s carrying payloads captured from a live simple-peer negotiation) with mutated
 * fields, types, sizes and text, and relay-mode messages (relay-offer, relay-candidate, view, mode-ack)
 * likewise, with offers around both frame caps. Yjs frames are real y-websocket messages (built with the y-protocols
 * encoders from a document edited through crdt/) with bytes flipped, cut, extended or spliced.
 */
import * as Y from 'yjs';
import * as awarenessProtocol from 'y-protocols/awareness';
import * as syncProtocol from 'y-protocols/sync';
import * as encoding from 'lib0/encoding';
import { raiseHand, sendChat, sendReaction } from '../../crdt/index.ts';

export type Rng = () => number;
export type Frame = string | Uint8Array;

const int = (r: Rng, n: number) => Math.floor(r() * n);
const pick = <T>(r: Rng, items: readonly T[]): T => items[int(r, items.length)]!;

export function randomBytes(r: Rng, n: number): Uint8Array {
  const out = new Uint8Array(n);
  for (let i = 0; i < n; i++) out[i] = int(r, 256);
  return out;
}

const ALPHABETS = ['abcdefghijklmnopqrstuvwxyz0123456789-_', '{}[]":,\\ \n\t', 'éßΩ中文ق🎉👍', '\u0000\u0001\u001f\u007f\u2028\uffff', '\ud800\udfff'];

export function randomString(r: Rng, n: number): string {
  let s = '';
  for (let i = 0; i < n; i++) s += pick(r, [...pick(r, ALPHABETS)]);
  return s;
}

export function randomJson(r: Rng, depth = 3): unknown {
  switch (int(r, depth > 0 ? 8 : 6)) {
    case 0: return null;
    case 1: return r() < 0.5;
    case 2: return pick(r, [0, -1, 1.5, 2 ** 53, -(2 ** 31), 1e308, -0]);
    case 3: return randomString(r, int(r, 40));
    case 4: return pick(r, ['signal', 'ping', 'leave', 'welcome', 'offer', 'answer', 'mode-ack', 'relay-offer', 'relay-candidate', 'view', '__proto__', 'constructor']);
    case 5: return int(r, 1000);
    case 6: return Array.from({ length: int(r, 5) }, () => randomJson(r, depth - 1));
    default: return Object.fromEntries(Array.from({ length: int(r, 5) }, () => [pick(r, ['type', 'to', 'data', 'id', 'sdp', 'candidate', '__proto__', randomString(r, 6)]), randomJson(r, depth - 1)]));
  }
}

/** Replaces, deletes, retypes or bloats one field somewhere in `value` (a JSON tree; copied). */
export function mutateJson(r: Rng, value: unknown): unknown {
  if (value === null || typeof value !== 'object' || r() < 0.15) {
    return pick(r, [() => randomJson(r, 2), () => String(value), () => [value], () => 'x'.repeat(int(r, 5000)), () => ({ value })])();
  }
  const copy: Record<string, unknown> | unknown[] = Array.isArray(value) ? [...value] : { ...(value as Record<string, unknown>) };
  const keys = Object.keys(copy);
  const op = int(r, 4);
  if (op === 0 && keys.length > 0) delete (copy as Record<string, unknown>)[pick(r, keys)];
  else if (op === 1) (copy as Record<string, unknown>)[pick(r, ['extra', 'type', 'to', 'data', 'id', 'epoch', 'sdp', randomString(r, 4)])] = randomJson(r, 2);
  else if (keys.length > 0) {
    const key = pick(r, keys);
    (copy as Record<string, unknown>)[key] = mutateJson(r, (copy as Record<string, unknown>)[key]);
  }
  return copy;
}

export function mutateText(r: Rng, text: string): string {
  const at = int(r, text.length + 1);
  switch (int(r, 5)) {
    case 0: return text.slice(0, at);
    case 1: return text.slice(0, at) + randomString(r, 1 + int(r, 8)) + text.slice(at);
    case 2: return text.slice(0, at) + text.slice(at + 1 + int(r, 8));
    case 3: return text.slice(0, at) + text.slice(at, at + 40).repeat(1 + int(r, 50)) + text.slice(at);
    default: return text.replace(/"(type|to|data|id)"/, `"${randomString(r, 3)}"`);
  }
}

export type SignalTargets = {
  /** Sessions connected in the fuzzer's room (delivery goes there). */
  present: string[];
  /** The fuzzer's own session. */
  self: string;
  /** Real simple-peer payloads (offer, answer, candidates) captured from the call. */
  payloads: Record<string, unknown>[];
};

/** One signalling frame; roughly 1 in 100 is a well-formed signal delivered to a present session. */
export function signalFrame(r: Rng, t: SignalTargets): Frame {
  const payload = () => (t.payloads.length > 0 ? pick(r, t.payloads) : { sdp: 'v=0', type: 'offer' });
  const validSession = () => Array.from({ length: 8 + int(r, 20) }, () => pick(r, [...'abcdefXYZ0189_-'])).join('');
  const template = () =>
    r() < 0.7
      ? pick(r, [
          () => ({ type: 'signal', to: pick(r, [...t.present, t.self, validSession()]), data: payload() }),
          () => ({ type: 'ping', id: int(r, 1e6) }),
          () => ({ type: 'ping' }),
          () => ({ type: 'leave' }),
        ])()
      : relayTemplate();
  const relayTemplate = () =>
    pick(r, [
      () => ({ type: 'mode-ack', epoch: int(r, 5) }),
      () => ({ type: 'relay-offer', sdp: RELAY_SDP, epoch: int(r, 5), videoSources: [{ mid: '1', source: 'camera' }] }),
      () => ({ type: 'relay-candidate', candidate: pick(r, [null, { candidate: 'candidate:1 1 udp 2130706431 127.0.0.1 50000 typ host', sdpMid: '0', sdpMLineIndex: 0 }]) }),
      () => ({ type: 'view', videos: [{ sessionId: pick(r, [...t.present, validSession()]), source: 'camera', width: 320, height: 180 }] }),
    ])();
  const roll = r();
  if (roll < 0.1) return randomBytes(r, int(r, 2000));
  if (roll < 0.14) return new TextEncoder().encode(JSON.stringify({ type: 'ping', id: 1 }));
  if (roll < 0.24) return randomString(r, int(r, 300));
  if (roll < 0.39) return JSON.stringify(randomJson(r, 4));
  if (roll < 0.77) return JSON.stringify(mutateJson(r, mutateJson(r, template())));
  if (roll < 0.87) return mutateText(r, JSON.stringify(template()));
  if (roll < 0.92) return JSON.stringify({ type: 'ping', id: int(r, 1e9) });
  if (roll < 0.97) return JSON.stringify({ type: 'signal', to: validSession(), data: payload() });
  if (roll < 0.98) return JSON.stringify({ type: 'signal', to: pick(r, t.present), data: mutateJson(r, payload()) });
  if (roll < 0.99) return JSON.stringify({ type: pick(r, ['signal', 'ping']), to: t.self, data: { sdp: 'x'.repeat(60_000 + int(r, 140_000)) } });
  // Offers around both frame caps: 64 KB (the SDP's own limit, enforced by the schema) and 256 KB.
  const padding = pick(r, [60_000, 64_000, 66_000, 200_000, 262_000]) + int(r, 2000);
  return JSON.stringify({ type: 'relay-offer', sdp: `${RELAY_SDP}a=x-pad:${'x'.repeat(padding)}\r\n`, epoch: 1 });
}

/** A minimal, well-formed relay offer SDP (the relay never sees it: the fuzzed room stays in mesh). */
const RELAY_SDP = 'v=0\r\no=- 1 1 IN IP4 0.0.0.0\r\ns=-\r\nt=0 0\r\n';

/** A WebSocket upgrade request-target: path, room id and query mangled in the ways a URL can be. */
export function upgradeTarget(r: Rng, room: string, token: string): string {
  const prefix = pick(r, ['/signal/', '/yjs/', '/', '//', '/signal', '/yjs/../signal/', 'http://127.0.0.1/yjs/', '//[::1/signal/', '/signal//']);
  const escape = () => pick(r, ['%', '%z', '%zz', '%E0%A4%A', '%00', '%2F', '%25', '%C0%AF', encodeURIComponent(randomString(r, 4))]);
  const roomPart = pick(r, [room, room.toUpperCase(), `${room}${escape()}`, escape() + room, encodeURIComponent(randomString(r, 12)), 'a'.repeat(int(r, 3000))]);
  const tokenPart = pick(r, [token, token.slice(0, -2), encodeURIComponent(randomString(r, 30)), escape(), '']);
  const session = pick(r, ['abcdefgh-1234', escape(), encodeURIComponent(randomString(r, 10)), '']);
  const query = pick(r, [`?token=${tokenPart}&session=${session}`, `?token=${tokenPart}`, `?${escape()}=${escape()}`, '', '?', `?token=${tokenPart}&token=x&session=${session}&session=y`]);
  return prefix + roomPart + query;
}

// ---- Yjs ----------------------------------------------------------------------------------------

export type YjsSeeds = { messages: Uint8Array[]; updates: Uint8Array[] };

/** Real y-websocket messages (and their bare updates) from a document edited like a meeting would be. */
export function yjsSeeds(): YjsSeeds {
  const doc = new Y.Doc();
  const updates: Uint8Array[] = [];
  doc.on('update', (u: Uint8Array) => updates.push(u));
  const me = { participantId: 'fuzz-seed-participant', name: 'Seed' };
  sendChat(doc, me, 'hello world', 1_700_000_000_000);
  sendChat(doc, me, 'émoji 🎉 and more text', 1_700_000_001_000);
  raiseHand(doc, me, 1_700_000_002_000);
  sendReaction(doc, me, '👍', 1_700_000_003_000);
  doc.getText('notes').insert(0, 'meeting notes');
  doc.getMap('summary').set('title', 'Fuzz');
  doc.getArray('chat').delete(0, 1);
  const message = (write: (e: encoding.Encoder) => void) => encoding.encode(write);
  const awareness = new awarenessProtocol.Awareness(doc);
  awareness.setLocalState({ user: { participantId: me.participantId, sessionId: 'seed-session', name: 'Seed', color: '#123456', audio: true, video: false, screen: false } });
  const seeds = [
    message((e) => (encoding.writeVarUint(e, 0), syncProtocol.writeSyncStep1(e, doc))),
    message((e) => (encoding.writeVarUint(e, 0), syncProtocol.writeSyncStep1(e, new Y.Doc()))),
    message((e) => (encoding.writeVarUint(e, 0), syncProtocol.writeSyncStep2(e, doc, new Uint8Array([0])))),
    ...updates.map((u) => message((e) => (encoding.writeVarUint(e, 0), syncProtocol.writeUpdate(e, u)))),
    message((e) => (encoding.writeVarUint(e, 1), encoding.writeVarUint8Array(e, awarenessProtocol.encodeAwarenessUpdate(awareness, [doc.clientID])))),
    message((e) => encoding.writeVarUint(e, 3)),
  ];
  awareness.destroy();
  doc.destroy();
  return { messages: seeds, updates };
}

function varUint(n: number): Uint8Array {
  return encoding.encode((e) => encoding.writeVarUint(e, n));
}

const concat = (...parts: Uint8Array[]) => Uint8Array.from(parts.flatMap((p) => [...p]));

/** One Yjs frame: a seed, mutated most of the time. */
export function yjsFrame(r: Rng, seeds: YjsSeeds): Frame {
  const seed = pick(r, seeds.messages);
  const at = int(r, seed.length + 1);
  const roll = r();
  if (roll < 0.08) return seed;
  if (roll < 0.16) return randomBytes(r, int(r, 600));
  if (roll < 0.19) return randomString(r, int(r, 100));
  if (roll < 0.45) {
    const out = seed.slice();
    for (let i = 0, n = 1 + int(r, 4); i < n && out.length > 0; i++) {
      const at = int(r, out.length);
      out[at] = out[at]! ^ (1 << int(r, 8));
    }
    return out;
  }
  if (roll < 0.55) return seed.slice(0, at);
  if (roll < 0.63) return concat(seed, randomBytes(r, 1 + int(r, 64)));
  if (roll < 0.73) return concat(seed.slice(0, at), randomBytes(r, 1 + int(r, 16)), seed.slice(at + int(r, 8)));
  if (roll < 0.8) return concat(varUint(pick(r, [2, 4, 5, 127, 128, 2 ** 31, 2 ** 53 - 1])), seed.slice(1));
  if (roll < 0.87) return concat(seed.slice(0, 2), varUint(pick(r, [2 ** 31, 2 ** 32 + 1, 2 ** 53 - 1, 1e6])), seed.slice(3));
  if (roll < 0.93) return concat(seed, pick(r, seeds.messages));
  // A real update with one inner byte changed, correctly framed, so it reaches Yjs' own decoder.
  const inner = pick(r, seeds.updates).slice();
  inner[int(r, inner.length)] = int(r, 256);
  return concat(varUint(0), varUint(2), varUint(inner.length), inner);
}
