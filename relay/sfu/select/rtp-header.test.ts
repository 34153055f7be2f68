import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { mulberry32, randomInt } from '../../../crdt/testing/network.ts';
import { RtpHeader, isH264Keyframe, isVp8Keyframe } from './rtp-header.ts';

/** Hex with spaces, comments after `#` per line, so fixtures can be documented byte by byte. */
function hex(text: string): Uint8Array {
  const digits = text
    .split('\n')
    .map((line) => line.replace(/#.*/, ''))
    .join('')
    .replace(/\s+/g, '');
  return Uint8Array.from(digits.match(/../g) ?? [], (h) => parseInt(h, 16));
}

// Chrome-style Opus packet: one-byte header extensions (extmap 1 = ssrc-audio-level, 3 = transport-wide-cc).
const OPUS = hex(`
  90 6f 1a 2b   # V=2 P=0 X=1 CC=0 | M=0 PT=111 | seq 0x1a2b = 6699
  00 0f 42 40   # timestamp 1 000 000
  12 34 56 78   # SSRC 0x12345678
  be de 00 02   # RFC 8285 one-byte profile, 2 words of elements follow
  10 ba         # id 1, L=0 -> 1 byte: V=1, level 0x3a = 58 (-58 dBov)
  31 00 05      # id 3, L=1 -> 2 bytes: transport-wide sequence number 5
  00 00 00      # padding to the word boundary
  78 0b e4 c1 36 e5 # Opus TOC byte and 5 bytes of frame data
`);

// First packet of a VP8 key frame, 1280x720, from the "f" simulcast layer.
const VP8_KEY = hex(`
  90 e0 00 07   # X=1 | M=1 PT=96 | seq 7
  00 00 00 64   # timestamp 100
  ca fe ba be   # SSRC
  be de 00 02   # one-byte profile, 2 words
  40 30         # id 4 (mid), 1 byte: "0"
  a0 66         # id 10 (rid), 1 byte: "f"
  31 00 06      # id 3 (transport-cc), 2 bytes: 6
  00            # padding
  90            # VP8 descriptor: X=1 R=0 N=0 S=1 PID=0
  80            # I=1 (PictureID present)
  81 23         # M=1: 15-bit PictureID 0x0123
  50 42 00      # frame tag: P=0 (key frame), show_frame=1, first partition size
  9d 01 2a      # key frame start code
  00 05 d0 02   # width 1280, height 720 (little endian, no scaling)
`);

// A VP8 inter frame: same descriptor, frame tag P=1, no start code.
const VP8_DELTA = hex(`
  80 60 00 08 00 00 0e 74 ca fe ba be   # X=0, PT=96, seq 8, ts 3700
  90 80 81 24                           # S=1 PID=0, PictureID 0x0124
  51 20 01 11 22 33 44                  # frame tag P=1
`);

// H.264 as Chrome sends a key frame: STAP-A with SPS and PPS, then FU-A fragments of the IDR slice.
const H264_STAP = hex(`
  78            # F=0 NRI=3 type 24 (STAP-A)
  00 07         # NAL size 7
  67 42 c0 1f 8c 8d 40  # SPS (type 7), profile 66 level 31
  00 04         # NAL size 4
  68 ce 3c 80   # PPS (type 8)
`);
const H264_FU_IDR_START = hex('7c 85 88 84 00'); // FU-A indicator NRI=3 type 28; FU header S=1 type 5 (IDR)
const H264_FU_IDR_MIDDLE = hex('7c 05 12 34'); // same slice, S=0
const H264_SINGLE_IDR = hex('65 88 84 00'); // single NAL unit, type 5
const H264_SINGLE_P = hex('41 9a 02 03'); // single NAL unit, type 1 (non-IDR slice)

// RFC 8285 two-byte form: profile 0x1000 (appbits 0), a zero-length element and a 3-byte element.
const TWO_BYTE = hex(`
  90 60 ff ff 11 22 33 44 00 00 00 01   # X=1, seq 65535
  10 00 00 02   # two-byte profile, 2 words
  07 00         # id 7, length 0
  00            # padding byte
  0c 03 61 62 63  # id 12, length 3: "abc" (8 bytes of elements: exactly 2 words)
  de ad         # payload
`);

// A padding-only probe (what bandwidth estimators send): P=1, 4 bytes of padding, empty payload.
const PROBE = hex('a0 60 00 09 00 00 00 00 00 00 00 01   00 00 00 04');

// Two CSRCs (as a mixer would add), marker set, payload 2 bytes.
const CSRC = hex('82 e0 00 0a 00 00 00 00 00 00 00 02   00 00 00 0b 00 00 00 0c   aa bb');

test('parse() reads the fixed header of a Chrome-style Opus packet', () => {
  const h = RtpHeader.parse(OPUS);
  assert.ok(h);
  assert.is(h.version, 2);
  assert.is(h.padding, false);
  assert.is(h.extension, true);
  assert.is(h.marker, false);
  assert.is(h.payloadType, 111);
  assert.is(h.sequenceNumber, 6699);
  assert.is(h.timestamp, 1_000_000);
  assert.is(h.ssrc, 0x12345678);
  assert.is(h.headerLength, 24);
  assert.is(h.payloadOffset, 24);
  assert.is(h.payloadLength, 6);
  assert.equal([...h.payload()], [0x78, 0x0b, 0xe4, 0xc1, 0x36, 0xe5]);
});

test('findExtension() finds one-byte elements by id and reports their length', () => {
  const h = RtpHeader.parse(OPUS)!;
  const level = h.findExtension(1);
  assert.is(level, 17);
  assert.is(h.foundLength, 1);
  assert.is(OPUS[level], 0xba);
  assert.equal([...(h.extensionBytes(3) ?? [])], [0x00, 0x05]);
  assert.is(h.findExtension(2), -1);
  assert.is(h.extensionBytes(14), undefined);
});

test('findExtension() reads the two-byte form, zero-length elements and padding included', () => {
  const h = RtpHeader.parse(TWO_BYTE)!;
  assert.is(h.sequenceNumber, 65535);
  assert.is(h.findExtension(7), 18);
  assert.is(h.foundLength, 0);
  assert.equal(new TextDecoder().decode(h.extensionBytes(12)), 'abc');
  assert.is(h.findExtension(13), -1);
  assert.equal([...h.payload()], [0xde, 0xad]);
});

test('parse() strips padding and accepts an empty payload', () => {
  const h = RtpHeader.parse(PROBE)!;
  assert.is(h.padding, true);
  assert.is(h.paddingLength, 4);
  assert.is(h.payloadLength, 0);
  assert.is(h.findExtension(1), -1, 'no extension block at all');
});

test('parse() skips the CSRC list', () => {
  const h = RtpHeader.parse(CSRC)!;
  assert.is(h.csrcCount, 2);
  assert.is(h.marker, true);
  assert.is(h.csrc(0), 11);
  assert.is(h.csrc(1), 12);
  assert.is(h.csrc(2), undefined);
  assert.is(h.payloadOffset, 20);
  assert.is(h.payloadLength, 2);
});

test('timestamp and SSRC are unsigned 32-bit numbers', () => {
  const b = OPUS.slice();
  b.set([0xff, 0xff, 0xff, 0xfe, 0x80, 0, 0, 1], 4);
  const h = RtpHeader.parse(b)!;
  assert.is(h.timestamp, 0xfffffffe);
  assert.is(h.ssrc, 0x80000001);
});

test('parse() returns undefined for invalid packets', () => {
  const cases: [string, Uint8Array][] = [
    ['empty', new Uint8Array(0)],
    ['shorter than the fixed header', OPUS.subarray(0, 11)],
    ['version 1', Uint8Array.from(OPUS, (b, i) => (i === 0 ? 0x50 : b))],
    ['version 0 (a STUN message)', hex('00 01 00 00 21 12 a4 42 00 00 00 00')],
    ['CSRCs beyond the end', CSRC.subarray(0, 18)],
    ['extension header cut', OPUS.subarray(0, 14)],
    ['extension length beyond the end', OPUS.subarray(0, 22)],
    ['padding count 0', Uint8Array.from(PROBE, (b, i) => (i === PROBE.length - 1 ? 0 : b))],
    ['padding longer than the packet', Uint8Array.from(PROBE, (b, i) => (i === PROBE.length - 1 ? 5 : b))],
  ];
  for (const [name, packet] of cases) assert.is(RtpHeader.parse(packet), undefined, name);
});

test('findExtension() gives -1 for elements running past the block and stops at id 15', () => {
  const overrun = OPUS.slice();
  overrun[16] = 0x1f; // id 1 claims 16 bytes
  assert.is(RtpHeader.parse(overrun)!.findExtension(1), -1);
  const stop = OPUS.slice();
  stop[16] = 0xf0; // id 15 ends parsing: id 3 after it is not reached
  assert.is(RtpHeader.parse(stop)!.findExtension(3), -1);
  const unknownProfile = OPUS.slice();
  unknownProfile.set([0x12, 0x34], 12);
  assert.is(RtpHeader.parse(unknownProfile)!.findExtension(1), -1);
});

test('wrap() reuses one view without allocating and keeps the last valid packet on failure', () => {
  const view = new RtpHeader();
  assert.is(view.wrap(OPUS), view);
  assert.is(view.wrap(VP8_KEY), view);
  assert.is(view.sequenceNumber, 7);
  assert.is(view.wrap(new Uint8Array(3)), undefined);
  assert.is(view.sequenceNumber, 7);
});

test('isVp8Keyframe() finds the key frame after the payload descriptor, not an inter frame', () => {
  const key = RtpHeader.parse(VP8_KEY)!;
  assert.is(key.marker, true);
  assert.equal(new TextDecoder().decode(key.extensionBytes(10)), 'f');
  assert.ok(isVp8Keyframe(key.buf, key.payloadOffset, key.payloadLength));
  assert.ok(isVp8Keyframe(key.payload()));
  const delta = RtpHeader.parse(VP8_DELTA)!;
  assert.not.ok(isVp8Keyframe(delta.buf, delta.payloadOffset, delta.payloadLength));
});

test('isVp8Keyframe() needs the start of partition 0', () => {
  const payload = RtpHeader.parse(VP8_KEY)!.payload().slice();
  payload[0] = 0x80; // S=0: a continuation packet of the same frame
  assert.not.ok(isVp8Keyframe(payload));
  payload[0] = 0x91; // S=1 but partition 1
  assert.not.ok(isVp8Keyframe(payload));
  // Minimal descriptor (X=0), 7-bit PictureID and TL0PICIDX/TID forms.
  assert.ok(isVp8Keyframe(hex('10 50 42 00 9d 01 2a')));
  assert.ok(isVp8Keyframe(hex('90 e0 12 05 40 50 42 00 9d 01 2a')));
  assert.not.ok(isVp8Keyframe(hex('10 50 42 00 9d 01 2b')), 'wrong start code');
  assert.not.ok(isVp8Keyframe(hex('90 e0 12 05 40 50 42 00 9d')), 'cut short');
});

test('isH264Keyframe() recognises STAP-A with an SPS, an IDR start fragment and a single IDR', () => {
  assert.ok(isH264Keyframe(H264_STAP));
  assert.ok(isH264Keyframe(H264_FU_IDR_START));
  assert.ok(isH264Keyframe(H264_SINGLE_IDR));
  assert.not.ok(isH264Keyframe(H264_FU_IDR_MIDDLE));
  assert.not.ok(isH264Keyframe(H264_SINGLE_P));
  assert.not.ok(isH264Keyframe(hex('78 00 04 68 ce 3c 80')), 'STAP-A with only a PPS');
  assert.not.ok(isH264Keyframe(hex('78 00 20 67 42')), 'STAP-A whose size runs past the end');
  assert.not.ok(isH264Keyframe(hex('e5 88')), 'forbidden bit set');
  assert.ok(isH264Keyframe(hex('79 00 01 00 03 65 88 84')), 'STAP-B skips its DON');
  const within = hex('ff ff 65 88 ff');
  assert.ok(isH264Keyframe(within, 2, 2), 'offset and length select the payload inside a buffer');
  assert.not.ok(isH264Keyframe(within, 5, 0));
});

test('random and mutated bytes never throw, and what parses keeps its lengths inside the buffer', () => {
  const random = mulberry32(6464);
  const seeds = [OPUS, VP8_KEY, VP8_DELTA, TWO_BYTE, PROBE, CSRC];
  const view = new RtpHeader();
  let parsed = 0;
  for (let n = 0; n < 20_000; n++) {
    let packet: Uint8Array;
    if (n % 2 === 0) {
      packet = new Uint8Array(randomInt(random, 0, 64));
      for (let i = 0; i < packet.length; i++) packet[i] = randomInt(random, 0, 255);
      if (packet.length > 0 && random() < 0.7) packet[0] = 0x80 | (packet[0]! & 0x3f); // mostly version 2
    } else {
      const seed = seeds[n % seeds.length]!;
      packet = seed.slice(0, randomInt(random, 0, seed.length));
      for (let flips = randomInt(random, 1, 4); flips > 0 && packet.length > 0; flips--) {
        packet[randomInt(random, 0, packet.length - 1)] = randomInt(random, 0, 255);
      }
    }
    const h = view.wrap(packet);
    isVp8Keyframe(packet);
    isH264Keyframe(packet);
    isVp8Keyframe(packet, randomInt(random, -2, 70), randomInt(random, -2, 70));
    isH264Keyframe(packet, randomInt(random, -2, 70), randomInt(random, -2, 70));
    if (!h) continue;
    parsed++;
    assert.is(h.payloadOffset + h.payloadLength + h.paddingLength, packet.length);
    assert.ok(h.payloadLength >= 0);
    for (let id = 0; id < 256; id++) {
      const at = h.findExtension(id);
      if (at >= 0) assert.ok(at + h.foundLength <= h.extensionOffset + h.extensionLength);
    }
    isVp8Keyframe(h.buf, h.payloadOffset, h.payloadLength);
    isH264Keyframe(h.buf, h.payloadOffset, h.payloadLength);
  }
  assert.ok(parsed > 1000, `enough inputs parsed to exercise the extension paths (${parsed})`);
});

test.run();
