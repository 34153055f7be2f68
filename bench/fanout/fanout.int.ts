import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { runFanout } from './run.ts';

test('the fanout scenario drives Palabre (both send paths) and the naive baseline through real peers and reports sane figures', async () => {
  for (const variant of [{ mode: 'palabre', sendPath: 'direct' }, { mode: 'palabre', sendPath: 'werift' }, { mode: 'naive' }] as const) {
    const label = 'sendPath' in variant ? `${variant.mode}(${variant.sendPath})` : variant.mode;
    const [row] = await runFanout({ ...variant, subscribers: 3, rates: [200], seconds: 1 });
    assert.ok(row, `${label}: a row`);
    // Sanity, not timing: the packets arrived (little loss on an idle loopback) and the relay's CPU was measured.
    assert.ok(row!.loss < 0.05, `${label}: loss ${row!.loss}`);
    assert.ok(row!.forwardedPerSecond > 300, `${label}: ${row!.forwardedPerSecond} forwarded/s`);
    assert.ok(row!.cpuUsPerForwarded > 0.1 && row!.cpuUsPerForwarded < 100_000, `${label}: ${row!.cpuUsPerForwarded} µs/packet`);
    assert.ok(row!.relayRssMb > 10, `${label}: RSS ${row!.relayRssMb} MB`);
    // The clients count without decrypting, but one packet in 50 is authenticated (SRTP tag checked).
    assert.ok(row!.sampledVerified > 0, `${label}: no sampled packet verified`);
    assert.is(row!.sampledAuthFailures, 0, `${label}: sampled packets failing authentication`);
  }
});

test.run();
