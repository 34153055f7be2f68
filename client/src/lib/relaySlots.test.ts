import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { audioSeats, changedMids, onlyCodec, sameView, sdpMids, sendOnlyLayers, simulcastLayers, videoSeats, videoSlotCount } from './relaySlots.ts';

const slots = {
  type: 'slots' as const,
  audio: [{ mid: '2', sessionId: 'sa' }, { mid: '3', sessionId: null }],
  video: [{ mid: '5', sessionId: 'sa', source: 'camera' as const }, { mid: '6', sessionId: 'sb', source: 'screen' as const }, { mid: '7', sessionId: null, source: null }],
};

test('videoSlotCount() is one per other participant up to a page of 25, plus one for a screen share', () => {
  assert.is(videoSlotCount(0, 0), 0);
  assert.is(videoSlotCount(3, 0), 3);
  assert.is(videoSlotCount(4, 1), 5);
  assert.is(videoSlotCount(149, 2), 26);
});

test('videoSeats() and audioSeats() map occupants to mids and skip empty slots', () => {
  assert.equal([...videoSeats(slots)], [['sa:camera', '5'], ['sb:screen', '6']]);
  assert.equal([...audioSeats(slots)], [['sa', '2']]);
  assert.is(videoSeats(null).size, 0);
});

test('changedMids() lists the slots whose occupant changed', () => {
  assert.equal(changedMids(null, slots), ['2', '3', '5', '6', '7']);
  const next = { ...slots, video: [{ mid: '5', sessionId: 'sc', source: 'camera' as const }, ...slots.video.slice(1)] };
  assert.equal(changedMids(slots, next), ['5']);
  assert.equal(changedMids(next, next), []);
});

test('sameView() ignores size changes under 10 % but not order or membership', () => {
  const a = [{ sessionId: 'sa', source: 'camera' as const, width: 640, height: 360 }];
  assert.ok(sameView(a, [{ ...a[0]!, width: 620 }]));
  assert.not.ok(sameView(a, [{ ...a[0]!, width: 320 }]));
  assert.not.ok(sameView(a, []));
  assert.not.ok(sameView(a, [{ ...a[0]!, source: 'screen' }]));
});

test('onlyCodec() keeps one codec family, case-insensitively', () => {
  const codecs = [{ mimeType: 'video/VP8' }, { mimeType: 'video/rtx' }, { mimeType: 'video/H264' }, { mimeType: 'video/vp8' }];
  assert.equal(onlyCodec(codecs, 'video/VP8'), [{ mimeType: 'video/VP8' }, { mimeType: 'video/vp8' }]);
});

test('sdpMids() lists the mids in order', () => {
  assert.equal(sdpMids('v=0\r\nm=audio 9 x\r\na=mid:0\r\nm=video 9 x\r\na=mid:1\r\n'), ['0', '1']);
});

test('simulcastLayers() offers only the layers Chromium sends for the capture size, the top one at full size', () => {
  const layers = (h: number) => simulcastLayers(h).map((e) => `${e.rid}/${e.scaleResolutionDownBy}`);
  assert.equal(layers(180), ['q/1']);
  assert.equal(layers(360), ['q/2', 'h/1']);
  assert.equal(layers(720), ['q/4', 'h/2', 'f/1']);
});

test('sendOnlyLayers() turns off the encodings the relay says nobody needs, once, all for an empty list, and ignores an unknown list', async () => {
  let encodings: RTCRtpEncodingParameters[] = [{ rid: 'q', active: true }, { rid: 'h', active: true }, { rid: 'f', active: true }];
  let calls = 0;
  const sender = {
    getParameters: () => ({ encodings: encodings.map((e) => ({ ...e })) }) as unknown as RTCRtpSendParameters,
    setParameters: async (p: RTCRtpSendParameters) => void ((encodings = p.encodings), calls++),
  };
  assert.ok(await sendOnlyLayers(sender, ['q']));
  assert.equal(encodings.map((e) => e.active), [true, false, false]);
  assert.ok(await sendOnlyLayers(sender, ['q']));
  assert.is(calls, 1, 'unchanged: no call');
  assert.ok(await sendOnlyLayers(sender, ['q', 'h', 'f']));
  assert.equal(encodings.map((e) => e.active), [true, true, true]);
  assert.ok(await sendOnlyLayers(sender, ['x']));
  assert.equal(encodings.map((e) => e.active), [true, true, true], 'no rid we know: keep everything on');
  assert.ok(await sendOnlyLayers(sender, []));
  assert.equal(encodings.map((e) => e.active), [false, false, false], 'nobody shows it: all off');
});

test.run();
