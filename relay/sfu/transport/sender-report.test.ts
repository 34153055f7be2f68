import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { ntpFromUnixMs, SlotSendStats, senderInfo } from './sender-report.ts';

test('ntpFromUnixMs() counts seconds from 1900 with a 32-bit fraction', () => {
  assert.is(ntpFromUnixMs(0), 2_208_988_800n << 32n);
  assert.is(ntpFromUnixMs(1500), ((2_208_988_801n) << 32n) | 0x8000_0000n);
});

test('senderInfo() is undefined before the first packet', () => {
  assert.is(senderInfo(new SlotSendStats(1, 90_000), 1000), undefined);
});

test('senderInfo() extrapolates the last output timestamp to the report time at the clock rate, wrapping at 2^32', () => {
  const s = new SlotSendStats(1, 90_000);
  s.sent(0xffff_fff0, 1000, 10_000);
  s.sent(0xffff_fff0 + 0, 500, 10_000);
  const info = senderInfo(s, 10_100)!;
  assert.is(info.rtpTimestamp, (0xffff_fff0 + 9000) >>> 0);
  assert.is(info.packetCount, 2);
  assert.is(info.octetCount, 1500);
  assert.is(info.ntpTimestamp, ntpFromUnixMs(10_100));
});

test.run();
