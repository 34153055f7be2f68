import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { isSheddable, shedStats, shedWhenBehind } from './overload.ts';

const rtp = (pt: number, size: number) => {
  const b = Buffer.alloc(size);
  b[0] = 0x80;
  b[1] = pt;
  return b;
};

test('isSheddable(): large RTP only — never STUN, DTLS, RTCP or small (audio) packets', () => {
  assert.ok(isSheddable(rtp(96, 1100)));
  assert.ok(isSheddable(rtp(0x80 | 96, 1100)), 'marker bit set');
  assert.not.ok(isSheddable(rtp(111, 120)), 'an Opus-sized packet');
  assert.not.ok(isSheddable(rtp(200, 1100)), 'RTCP sender report (200)');
  assert.not.ok(isSheddable(rtp(206, 1100)), 'RTCP feedback (206)');
  const stun = Buffer.alloc(1100);
  stun[0] = 0x00;
  assert.not.ok(isSheddable(stun), 'STUN');
  const dtls = Buffer.alloc(1100);
  dtls[0] = 22;
  assert.not.ok(isSheddable(dtls), 'DTLS handshake');
});

test('shedWhenBehind(): passes everything while the loop keeps up, sheds video while it is blocked', async () => {
  const got: number[] = [];
  const transport = { onData: (_d: Buffer, _a: unknown) => undefined as void };
  shedWhenBehind(transport, { lagMs: 50, minVideoBytes: 400 });
  transport.onData = (d) => void got.push(d.length); // werift assigns its handler later
  await new Promise((r) => setTimeout(r, 60));
  transport.onData(rtp(96, 1000), null);
  assert.equal(got, [1000], 'not behind: forwarded');
  const before = shedStats.shed;
  const until = performance.now() + 120; // block the loop: the 20 ms clock cannot tick
  while (performance.now() < until);
  transport.onData(rtp(96, 1000), null);
  transport.onData(rtp(111, 100), null);
  transport.onData(rtp(200, 1000), null);
  assert.equal(got, [1000, 100, 1000], 'behind: the video packet was shed, audio and RTCP passed');
  assert.is(shedStats.shed, before + 1);
});

test.run();
