import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { ROOM_PRESETS, sized } from './presets.ts';
import { runRooms } from './run.ts';

test('the rooms scenario runs 6 participants with simulcast video through the real relay and reports sane figures', async () => {
  const preset = sized(ROOM_PRESETS.find((p) => p.name === 'meeting-25')!, 6);
  // With the SRTP profile Chromium offers (werift alone would settle on GCM).
  const row = await runRooms({ preset, seconds: 2, verifyEvery: 5, profile: 'AES128_CM_HMAC_SHA1_80' });
  const about = JSON.stringify(row);
  // Sanity, not timing: everyone joined, media flowed both ways and was authenticated, little loss on loopback.
  assert.is(row.joined, 6, about);
  assert.is(row.srtp, 'AES_CM_128_HMAC_SHA1_80', 'every participant on the profile it allowed');
  assert.ok(row.sentPerSecond > 6 * 50, `sent/s ${row.sentPerSecond}`);
  assert.ok(row.relayInPerSecond > 0 && row.forwardedPerSecond > 0, about);
  assert.ok(row.receivedPerSecond > 6 * 2 * 50, `received/s ${row.receivedPerSecond}`);
  assert.ok(row.audioStreamsPerSubscriber >= 2 && row.videoStreamsPerSubscriber >= 4, about);
  assert.ok(row.loss < 0.05, `loss ${row.loss}`);
  assert.ok(row.verified > 0 && row.authFailures === 0, `SRTP verified ${row.verified}, failed ${row.authFailures}`);
  assert.ok(row.latencyP50Ms > 0 && row.latencyP95Ms >= row.latencyP50Ms, `latency ${row.latencyP50Ms} / ${row.latencyP95Ms} ms`);
  assert.ok(row.joinP50Ms > 0, `join ${row.joinP50Ms} ms`);
  assert.ok(row.relayCpuPercent > 0 && row.relayRssMb > 10, about);
});

test.run();
