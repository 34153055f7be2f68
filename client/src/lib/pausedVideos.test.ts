import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { en } from '../i18n/en.ts';
import { fr } from '../i18n/fr.ts';
import { format } from '../i18n/format.ts';
import { NO_PAUSES, PAUSE_TEXT, pausedVideos, tilePause } from './pausedVideos.ts';

const message = {
  videos: [
    { sessionId: 'sa', source: 'camera' as const, reason: 'capacity' as const },
    { sessionId: 'sb', source: 'screen' as const, reason: 'bandwidth' as const },
    { sessionId: 'sc', source: 'camera' as const, reason: 'publisher' as const },
  ],
};

test('a paused message becomes each tile’s reason; a camera and a screen of one person are told apart', () => {
  const paused = pausedVideos(message);
  assert.is(tilePause(paused, 'sa', 'camera', true), 'capacity');
  assert.is(tilePause(paused, 'sb', 'screen', true), 'bandwidth');
  assert.is(tilePause(paused, 'sb', 'camera', true), null, 'sb’s camera flows; only its screen is paused');
  assert.is(tilePause(paused, 'sc', 'camera', true), 'publisher');
  assert.is(tilePause(paused, 'sd', 'camera', true), null, 'not listed');
});

test('the next message replaces the last one: an empty list clears every tile', () => {
  let paused = pausedVideos(message);
  paused = pausedVideos({ videos: [{ sessionId: 'sa', source: 'camera', reason: 'bandwidth' }] });
  assert.is(tilePause(paused, 'sa', 'camera', true), 'bandwidth', 'the reason changed');
  assert.is(tilePause(paused, 'sc', 'camera', true), null, 'no longer listed: frames flow again');
  paused = pausedVideos({ videos: [] });
  assert.is(paused, NO_PAUSES);
  assert.is(tilePause(paused, 'sa', 'camera', true), null);
});

test('a tile not showing the relay’s stream (mesh, mid-switch, camera off) shows no pause', () => {
  assert.is(tilePause(pausedVideos(message), 'sa', 'camera', false), null);
});

test('every reason has a short text and a tooltip, in English and French, naming the publisher where it needs to', () => {
  for (const [reason, keys] of Object.entries(PAUSE_TEXT)) {
    for (const catalog of [en, fr]) {
      const short = format(catalog[keys.short], { name: 'Ada' });
      const detail = format(catalog[keys.detail], { name: 'Ada' });
      assert.ok(short.length > 0 && short.length <= 50, `${reason}: “${short}” fits a tile`);
      assert.ok(detail.length > short.length, `${reason}: the tooltip says more`);
      assert.not.match(short + detail, /[{}]/, 'no placeholder left');
    }
  }
  assert.is(en[PAUSE_TEXT.capacity.short], 'Video paused — relay busy');
  assert.is(fr[PAUSE_TEXT.capacity.short], 'Vidéo en pause — le relais est surchargé');
  assert.is(format(en[PAUSE_TEXT.publisher.short], { name: 'Ada' }), 'Video paused — not arriving from Ada');
});

test.run();
