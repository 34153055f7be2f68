import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { runFanout } from './run.ts';

test('the fanout scenario drives Palabre and the naive baseline through real peers and reports sane figures', async () => {
  for (const mode of ['palabre', 'naive'] as const) {
    const [row] = await runFanout({ mode, subscribers: 3, rates: [200], seconds: 1 });
    assert.ok(row, `${mode}: a row`);
    // Sanity, not timing: the packets arrived (little loss on an idle loopback) and the relay's CPU was measured.
    assert.ok(row!.loss < 0.05, `${mode}: loss ${row!.loss}`);
    assert.ok(row!.forwardedPerSecond > 300, `${mode}: ${row!.forwardedPerSecond} forwarded/s`);
    assert.ok(row!.cpuUsPerForwarded > 0.1 && row!.cpuUsPerForwarded < 100_000, `${mode}: ${row!.cpuUsPerForwarded} µs/packet`);
    assert.ok(row!.relayRssMb > 10, `${mode}: RSS ${row!.relayRssMb} MB`);
  }
});

test.run();
