import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { runFanout } from './run.ts';

test('the fanout scenario drives Palabre (both send paths, both SRTP profiles) and the naive baseline through real peers and reports sane figures', async () => {
  const variants = [{ mode: 'palabre', sendPath: 'direct' }, { mode: 'palabre', sendPath: 'werift' }, { mode: 'naive' }, { mode: 'palabre', sendPath: 'direct', profile: 'AES128_CM_HMAC_SHA1_80' }] as const;
  for (const variant of variants) {
    const label = `${'sendPath' in variant ? `${variant.mode}(${variant.sendPath})` : variant.mode}${'profile' in variant ? ` ${variant.profile}` : ''}`;
    const [row] = await runFanout({ ...variant, subscribers: 3, rates: [200], seconds: 1 });
    assert.ok(row, `${label}: a row`);
    // werift's own choice is GCM; `profile` makes the load peers allow only Chromium's.
    assert.is(row!.srtp, 'profile' in variant ? 'AES_CM_128_HMAC_SHA1_80' : 'AEAD_AES_128_GCM', label);
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
