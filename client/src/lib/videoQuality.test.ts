import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { MeshEncodings, applyMeshEncoding, captureConstraints, meshEncoding, videoQualityFrom } from './videoQuality.ts';

test('videoQualityFrom(): the address wins, then the remembered choice, then 720p', () => {
  assert.is(videoQualityFrom('?video=low', 'standard'), 'low');
  assert.is(videoQualityFrom('?pageSize=4', 'standard'), 'standard');
  assert.is(videoQualityFrom('', null), 'high');
  assert.is(videoQualityFrom('?video=ultra', 'nonsense'), 'high', 'unknown values fall back');
});

test('captureConstraints() asks for an ideal size and caps the frame rate', () => {
  assert.equal(captureConstraints('high'), { width: { ideal: 1280 }, height: { ideal: 720 }, frameRate: { ideal: 30, max: 30 } });
  assert.equal(captureConstraints('low').height, { ideal: 180 });
});

test('meshEncoding(): one link gets the full 720p, two or more at most 360p, less bitrate per link as links grow', () => {
  assert.equal(meshEncoding(720, 1), { scaleResolutionDownBy: 1, maxBitrate: 1_500_000, maxFramerate: 30 });
  assert.is(meshEncoding(720, 2).scaleResolutionDownBy, 2);
  assert.is(meshEncoding(720, 3).scaleResolutionDownBy, 2);
  assert.ok(meshEncoding(720, 3).maxBitrate < meshEncoding(720, 2).maxBitrate);
  assert.is(meshEncoding(1080, 3).scaleResolutionDownBy, 3);
  assert.is(meshEncoding(180, 3).scaleResolutionDownBy, 1, 'never scaled up');
  assert.is(meshEncoding(360, 2).scaleResolutionDownBy, 1);
});

type Encoding = { active?: boolean; scaleResolutionDownBy?: number; maxBitrate?: number; maxFramerate?: number };
function fakeSender(encodings: Encoding[], refuse = false) {
  const set: Encoding[][] = [];
  const reads = { count: 0 };
  return {
    set,
    reads,
    getParameters: () => (reads.count++, { encodings: encodings.map((e) => ({ ...e })) }) as unknown as RTCRtpSendParameters,
    setParameters: async (p: RTCRtpSendParameters) => {
      if (refuse) throw new Error('InvalidModificationError');
      encodings = p.encodings as Encoding[];
      set.push(encodings);
    },
  };
}

test('applyMeshEncoding() sets size, bitrate and rate once, and keeps an inactive encoding inactive', async () => {
  const s = fakeSender([{ active: false }]);
  assert.ok(await applyMeshEncoding(s, meshEncoding(720, 2)));
  assert.equal(s.set[0], [{ active: false, scaleResolutionDownBy: 2, maxBitrate: 700_000, maxFramerate: 30 }]);
  assert.ok(await applyMeshEncoding(s, meshEncoding(720, 2)));
  assert.is(s.set.length, 1, 'unchanged: no call');
  assert.not.ok(await applyMeshEncoding(fakeSender([{}], true), meshEncoding(720, 1)));
  assert.ok(await applyMeshEncoding(fakeSender([]), meshEncoding(720, 1)), 'no encoding yet: nothing to do');
});

test('MeshEncodings reads a sender again only when its encoding changes, after a refusal, or once forgotten', async () => {
  const e = new MeshEncodings();
  const s = fakeSender([{}]);
  assert.ok(await e.apply(s, meshEncoding(720, 2)));
  assert.ok(await e.apply(s, meshEncoding(720, 2)));
  assert.is(s.reads.count, 1, 'unchanged: not even read');
  assert.ok(await e.apply(s, meshEncoding(720, 4)));
  assert.equal([s.reads.count, s.set.length], [2, 2], 'changed: read and set');
  e.forget(s);
  assert.ok(await e.apply(s, meshEncoding(720, 4)));
  assert.equal([s.reads.count, s.set.length], [3, 2], 'forgotten: read again, nothing to set');
  const refusing = fakeSender([{}], true);
  assert.not.ok(await e.apply(refusing, meshEncoding(720, 1)));
  assert.not.ok(await e.apply(refusing, meshEncoding(720, 1)));
  assert.is(refusing.reads.count, 2, 'a refusal is tried again');
});

test.run();
