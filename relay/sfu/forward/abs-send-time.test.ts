import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { absSendTime, absSendTimeMs, stampAbsSendTime } from './abs-send-time.ts';

test('absSendTime() is seconds in 6.18 fixed point: 1 s = 2^18, 1 ms = 262 units', () => {
  assert.is(absSendTime(0), 0);
  assert.is(absSendTime(1000), 1 << 18);
  assert.is(absSendTime(1), 262);
  assert.is(absSendTime(1.5), 393);
  assert.is(absSendTime(500), 1 << 17);
  assert.is(absSendTime(63_000), 63 << 18);
});

test('absSendTime() wraps every 64 s, from any clock origin', () => {
  assert.is(absSendTime(64_000), 0);
  assert.is(absSendTime(64_001), 262);
  assert.is(absSendTime(63_999.999), 0xffffff, 'the last unit before the wrap');
  assert.is(absSendTime(-1), absSendTime(63_999), 'a negative time wraps too');
  const epoch = 1_795_902_356_152; // a Date.now() value: the difference survives the large origin
  assert.ok(Math.abs(((absSendTime(epoch + 20) - absSendTime(epoch)) & 0xffffff) - 20 * 262.144) <= 1);
  assert.ok(Math.abs(absSendTimeMs(absSendTime(12_345.678)) - 12_345.678) < 0.004, 'resolution ~3.8 µs');
});

/** RTP header with a one-byte block: abs-send-time (id 3) then audio level (id 1), then a payload byte. */
const oneByte = () => Uint8Array.from([0x90, 96, 0, 1, 0, 0, 0, 1, 0, 0, 0, 9, 0xbe, 0xde, 0, 2, 0x32, 0, 0, 0, 0x10, 0x85, 0, 0, 0xaa]);

test('stampAbsSendTime() writes the 3 bytes of the element in place, wherever it is in the block', () => {
  const p = oneByte();
  assert.ok(stampAbsSendTime(p, 3, 0x123456));
  assert.equal([...p.subarray(16, 20)], [0x32, 0x12, 0x34, 0x56]);
  assert.equal([...p.subarray(20)], [0x10, 0x85, 0, 0, 0xaa], 'the rest untouched');
  const later = Uint8Array.from([0x90, 96, 0, 1, 0, 0, 0, 1, 0, 0, 0, 9, 0xbe, 0xde, 0, 2, 0x10, 0x85, 0x00, 0x32, 0, 0, 0, 0, 0xaa]);
  assert.ok(stampAbsSendTime(later, 3, 0xabcdef));
  assert.equal([...later.subarray(19, 23)], [0x32, 0xab, 0xcd, 0xef], 'after another element and a padding byte');
  const twoByte = Uint8Array.from([0x90, 96, 0, 1, 0, 0, 0, 1, 0, 0, 0, 9, 0x10, 0x00, 0, 2, 0x01, 0x01, 0x85, 0x20, 0x03, 0, 0, 0, 0xaa]);
  assert.ok(stampAbsSendTime(twoByte, 0x20, 0x010203));
  assert.equal([...twoByte.subarray(19, 24)], [0x20, 0x03, 1, 2, 3], 'two-byte block, id 32');
});

test('stampAbsSendTime() leaves a packet without the element, or with a malformed block, alone', () => {
  const cases = [
    oneByte().subarray(0, 18), // block runs past the end
    Uint8Array.from([0x80, 96, 0, 1, 0, 0, 0, 1, 0, 0, 0, 9, 0xaa]), // no extension
    Uint8Array.from([0x90, 96, 0, 1, 0, 0, 0, 1, 0, 0, 0, 9, 0xbe, 0xde, 0, 1, 0x31, 0, 0, 0]), // id 3 of 2 bytes
    Uint8Array.from([0x90, 96, 0, 1, 0, 0, 0, 1, 0, 0, 0, 9, 0xbe, 0xde, 0, 1, 0xf0, 0x32, 0, 0]), // stop (id 15) first
    Uint8Array.from([0x90, 96, 0, 1, 0, 0, 0, 1, 0, 0, 0, 9, 0x12, 0x34, 0, 1, 0x32, 0, 0, 0]), // unknown profile
    Uint8Array.from([0x80, 96]),
  ];
  for (const p of cases) {
    const before = Uint8Array.from(p);
    assert.not.ok(stampAbsSendTime(p, 3, 0xffffff));
    assert.equal(p, before);
  }
  assert.not.ok(stampAbsSendTime(oneByte(), 4, 1), 'another id');
});

test.run();
