import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { MAX_SDP_BYTES, MAX_VIEW_VIDEOS, parseRelayClientMessage, relayServerMessage } from './protocol.ts';

const SDP = 'v=0\r\no=- 1 1 IN IP4 0.0.0.0\r\ns=-\r\nt=0 0\r\n';
const ok = (v: unknown) => parseRelayClientMessage(v).ok;

test('parseRelayClientMessage() accepts an offer, candidates (and their end) and a view', () => {
  assert.ok(ok({ type: 'relay-offer', sdp: SDP, epoch: 3 }));
  assert.ok(ok({ type: 'relay-offer', sdp: SDP, epoch: 3, videoSources: [{ mid: '1', source: 'camera' }, { mid: '4', source: 'screen' }] }));
  assert.ok(ok({ type: 'relay-offer', sdp: SDP, epoch: 3, iceRestart: true }));
  assert.ok(ok({ type: 'relay-candidate', candidate: { candidate: 'candidate:1 1 udp 1 10.0.0.1 5000 typ host', sdpMid: '0', sdpMLineIndex: 0 } }));
  assert.ok(ok({ type: 'relay-candidate', candidate: { candidate: '' } }));
  assert.ok(ok({ type: 'relay-candidate', candidate: null }));
  assert.ok(ok({ type: 'view', videos: [{ sessionId: 'session-aaaa', source: 'screen', width: 1280, height: 720 }] }));
  assert.ok(ok({ type: 'view', videos: [] }));
});

test('parseRelayClientMessage() rejects an SDP over 64 KB, even a well-formed one', () => {
  const big = SDP + 'a=x-padding:' + 'x'.repeat(MAX_SDP_BYTES) + '\r\n';
  const result = parseRelayClientMessage({ type: 'relay-offer', sdp: big, epoch: 1 });
  assert.not.ok(result.ok);
  if (!result.ok) assert.match(result.message, /sdp/);
  // Multi-byte characters count as bytes, not characters.
  assert.not.ok(ok({ type: 'relay-offer', sdp: SDP + 'é'.repeat(MAX_SDP_BYTES / 2), epoch: 1 }));
});

test('parseRelayClientMessage() rejects malformed offers', () => {
  assert.not.ok(ok({ type: 'relay-offer', sdp: 'hello', epoch: 1 }), 'not an SDP');
  assert.not.ok(ok({ type: 'relay-offer', sdp: '', epoch: 1 }));
  assert.not.ok(ok({ type: 'relay-offer', sdp: SDP }), 'no epoch');
  assert.not.ok(ok({ type: 'relay-offer', sdp: SDP, epoch: -1 }));
  assert.not.ok(ok({ type: 'relay-offer', sdp: SDP, epoch: 1.5 }));
  assert.not.ok(ok({ type: 'relay-offer', sdp: 42, epoch: 1 }));
  assert.not.ok(ok({ type: 'relay-offer', sdp: SDP, epoch: 1, extra: true }), 'unknown field');
  assert.not.ok(ok({ type: 'relay-offer', sdp: SDP, epoch: 1, iceRestart: 'yes' }));
  assert.not.ok(ok({ type: 'relay-offer', sdp: SDP, epoch: 1, videoSources: [{ mid: '1', source: 'microphone' }] }));
  assert.not.ok(ok({ type: 'relay-offer', sdp: SDP, epoch: 1, videoSources: [{ mid: 'a b', source: 'camera' }] }));
});

test('parseRelayClientMessage() rejects bad candidates and views', () => {
  assert.not.ok(ok({ type: 'relay-candidate' }), 'end of candidates is an explicit null');
  assert.not.ok(ok({ type: 'relay-candidate', candidate: { candidate: 'x'.repeat(2000) } }));
  assert.not.ok(ok({ type: 'relay-candidate', candidate: { candidate: 'c', sdpMLineIndex: -1 } }));
  assert.not.ok(ok({ type: 'relay-candidate', candidate: { candidate: 'c', usernameFragment: 'u' } }));
  const video = { sessionId: 'session-aaaa', source: 'camera', width: 320, height: 180 };
  assert.ok(ok({ type: 'view', videos: Array(MAX_VIEW_VIDEOS).fill(video) }));
  assert.not.ok(ok({ type: 'view', videos: Array(MAX_VIEW_VIDEOS + 1).fill(video) }), 'more than 50 tiles');
  assert.not.ok(ok({ type: 'view', videos: [{ ...video, source: 'microphone' }] }));
  assert.not.ok(ok({ type: 'view', videos: [{ ...video, sessionId: 'no!' }] }));
  assert.not.ok(ok({ type: 'view', videos: [{ ...video, width: -1 }] }));
  assert.not.ok(ok({ type: 'relay-answer', sdp: SDP }), 'a server message from a client');
  assert.not.ok(ok(null));
  assert.not.ok(ok('relay-offer'));
});

test('the relay-side schema accepts what the relay sends', () => {
  assert.ok(relayServerMessage.safeParse({ type: 'relay-answer', sdp: SDP }).success);
  assert.ok(
    relayServerMessage.safeParse({
      type: 'slots',
      audio: [{ mid: '2', sessionId: 'session-aaaa' }, { mid: '3', sessionId: null }],
      video: [{ mid: '4', sessionId: 'session-bbbb', source: 'camera' }, { mid: '5', sessionId: null, source: null }],
    }).success,
  );
  assert.ok(relayServerMessage.safeParse({ type: 'layers', source: 'camera', rids: ['q', 'h'] }).success);
  assert.ok(relayServerMessage.safeParse({ type: 'layers', source: 'camera', rids: [] }).success, 'nobody shows it: none');
  for (const bad of [{ type: 'layers', source: 'screen', rids: ['q'] }, { type: 'layers', source: 'camera', rids: [''] }, { type: 'layers', source: 'camera', rids: ['q', 'h', 'f', 'x'] }]) {
    assert.not.ok(relayServerMessage.safeParse(bad).success, JSON.stringify(bad));
  }
});

test('the relay-side schema: a paused message lists videos with a known reason, and nothing malformed', () => {
  const video = { sessionId: 'session-bbbb', source: 'camera', reason: 'capacity' };
  const okServer = (v: unknown) => relayServerMessage.safeParse(v).success;
  assert.ok(okServer({ type: 'paused', videos: [video, { ...video, source: 'screen', reason: 'bandwidth' }, { ...video, sessionId: 'session-cccc', reason: 'publisher' }] }));
  assert.ok(okServer({ type: 'paused', videos: [] }), 'nothing paused any more');
  assert.ok(okServer({ type: 'paused', videos: Array(MAX_VIEW_VIDEOS).fill(video) }));
  for (const bad of [
    { type: 'paused' },
    { type: 'paused', videos: null },
    { type: 'paused', videos: [{ ...video, reason: 'hidden' }] },
    { type: 'paused', videos: [{ ...video, reason: 'no-layer' }] },
    { type: 'paused', videos: [{ ...video, reason: undefined }] },
    { type: 'paused', videos: [{ ...video, source: 'microphone' }] },
    { type: 'paused', videos: [{ ...video, sessionId: 'no!' }] },
    { type: 'paused', videos: [{ ...video, extra: 1 }] },
    { type: 'paused', videos: [video], extra: 1 },
    { type: 'paused', videos: Array(MAX_VIEW_VIDEOS + 1).fill(video) },
  ]) {
    assert.not.ok(okServer(bad), JSON.stringify(bad).slice(0, 120));
  }
  assert.not.ok(ok({ type: 'paused', videos: [] }), 'a server message from a client');
});

test.run();
