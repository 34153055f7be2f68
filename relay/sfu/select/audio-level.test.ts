import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { mulberry32 } from '../../../crdt/testing/network.ts';
import { LoudestSpeakers, audioLevelDbov, readAudioLevel, voiceActivity } from './audio-level.ts';
import { RtpHeader } from './rtp-header.ts';

const PACKET_MS = 20;

/** A source of RFC 6464 levels (0–127, -dBov) over time. */
type Voice = (t: number) => number;

/**
 * Speech as a two-state process: words (mean level ± 3 dB) and gaps between them (room noise at
 * -75 dBov or digital silence), ~400 ms words and ~130 ms gaps.
 */
function talker(seed: number, meanDbov: number): Voice {
  const random = mulberry32(seed);
  let inWord = true;
  return () => {
    inWord = inWord ? random() > 0.05 : random() < 0.15;
    if (!inWord) return random() < 0.5 ? 75 : 127;
    return Math.round(-meanDbov + (random() * 6 - 3));
  };
}

/** Background: a microphone in a room nobody speaks into (-60 to -80 dBov), or a muted one (127). */
function background(seed: number): Voice {
  const random = mulberry32(seed);
  const muted = random() < 0.5;
  return () => (muted ? 127 : 60 + Math.floor(random() * 20));
}

const silent: Voice = () => 127;

/** Every publisher sends a packet each 20 ms from `from` to `to` (exclusive); `each` runs per tick. */
function run(speakers: LoudestSpeakers, voices: Map<string, Voice>, from: number, to: number, each?: (now: number) => void): void {
  for (let now = from; now < to; now += PACKET_MS) {
    for (const [id, voice] of voices) speakers.observe(id, voice(now), true, now);
    each?.(now);
  }
}

test('readAudioLevel() reads the RFC 6464 byte: V flag and level in -dBov', () => {
  const packet = Uint8Array.from([
    0x90, 0x6f, 0, 1, 0, 0, 0, 0, 0, 0, 0, 1, // X=1, PT 111, seq 1, ts 0, SSRC 1
    0xbe, 0xde, 0, 1, // one-byte extensions, 1 word
    0x10, 0xba, 0, 0, // id 1, 1 byte: V=1 level 58; padding
    0xfc, // Opus TOC
  ]);
  const h = RtpHeader.parse(packet)!;
  const b = readAudioLevel(h, 1);
  assert.is(b, 0xba);
  assert.is(audioLevelDbov(b), -58);
  assert.is(voiceActivity(b), true);
  assert.is(voiceActivity(0x7f), false);
  assert.is(readAudioLevel(h, 2), -1);
});

test('LoudestSpeakers picks the 3 talkers out of 150 open microphones, loudest first', () => {
  const speakers = new LoudestSpeakers();
  const voices = new Map<string, Voice>();
  for (let i = 0; i < 147; i++) voices.set(`p${i}`, background(i));
  voices.set('alice', talker(1, -22));
  voices.set('bob', talker(2, -28));
  voices.set('carol', talker(3, -34));
  const everSelected = new Set<string>();
  run(speakers, voices, 0, 5000, (now) => {
    for (const id of speakers.selected(now)) everSelected.add(id);
  });
  assert.equal(speakers.selected(5000), ['alice', 'bob', 'carol']);
  assert.equal([...everSelected].sort(), ['alice', 'bob', 'carol'], 'no background microphone ever got in');
  assert.ok(speakers.isSelected('carol', 5000));
  assert.not.ok(speakers.isSelected('p7', 5000));
  assert.not.ok(speakers.isSelected('nobody', 5000));
});

test('a speech onset takes a free slot within three packets', () => {
  const speakers = new LoudestSpeakers();
  run(speakers, new Map([['a', silent], ['b', silent]]), 0, 1000);
  assert.equal(speakers.selected(1000), []);
  speakers.observe('a', 30, true, 1000);
  speakers.observe('a', 30, true, 1020);
  speakers.observe('a', 30, true, 1040);
  assert.ok(speakers.isSelected('a', 1040));
});

test('when a talker stops and another starts, the newcomer is forwarded within 1 s', () => {
  const speakers = new LoudestSpeakers();
  const voices = new Map<string, Voice>([
    ['alice', talker(1, -22)],
    ['bob', talker(2, -26)],
    ['carol', talker(3, -30)],
    ['dave', silent],
  ]);
  run(speakers, voices, 0, 5000);
  assert.equal(speakers.selected(5000).sort(), ['alice', 'bob', 'carol']);
  voices.set('carol', silent);
  voices.set('dave', talker(4, -30));
  let tookOver = -1;
  run(speakers, voices, 5000, 8000, (now) => {
    if (tookOver < 0 && speakers.isSelected('dave', now)) tookOver = now;
  });
  assert.ok(tookOver > 5000 && tookOver <= 6000, `dave forwarded at ${tookOver}`);
  assert.equal(speakers.selected(8000).sort(), ['alice', 'bob', 'dave']);
});

test('two talkers of about the same level do not take turns in the last slot', () => {
  for (const seed of [10, 20, 30, 40]) {
    const speakers = new LoudestSpeakers();
    const voices = new Map<string, Voice>([
      ['alice', talker(seed + 1, -20)],
      ['bob', talker(seed + 2, -24)],
      ['carol', talker(seed + 3, -31)],
      ['dave', talker(seed + 4, -31)],
    ]);
    let last = '';
    let changes = 0;
    run(speakers, voices, 0, 30_000, (now) => {
      const set = speakers.selected(now).sort().join();
      if (now > 1000 && set !== last) changes++;
      last = set;
    });
    assert.ok(changes <= 1, `seed ${seed}: ${changes} changes of the selected set in 29 s`);
  }
});

test('a challenger louder by the margin replaces the quietest member at once', () => {
  const speakers = new LoudestSpeakers();
  const steady = (level: number): Voice => () => level;
  const voices = new Map<string, Voice>([['a', steady(20)], ['b', steady(25)], ['c', steady(40)]]);
  run(speakers, voices, 0, 3000);
  voices.set('d', steady(20)); // -20 dBov against c at -40
  let at = -1;
  run(speakers, voices, 3000, 4000, (now) => {
    if (at < 0 && speakers.isSelected('d', now)) at = now;
  });
  assert.ok(at > 3000 && at <= 3300, `replaced at ${at}`);
  assert.not.ok(speakers.isSelected('c', 4000));
});

test('a challenger only slightly louder takes over after staying ahead for the overtake time', () => {
  const speakers = new LoudestSpeakers();
  const steady = (level: number): Voice => () => level;
  const voices = new Map<string, Voice>([['a', steady(20)], ['b', steady(22)], ['c', steady(33)]]);
  run(speakers, voices, 0, 3000);
  voices.set('d', steady(30)); // 3 dB louder than c: under the 6 dB margin
  let at = -1;
  run(speakers, voices, 3000, 8000, (now) => {
    if (at < 0 && speakers.isSelected('d', now)) at = now;
  });
  assert.ok(at >= 6000 && at <= 7000, `overtook at ${at}`);
});

test('silence: nobody is forwarded while every microphone is silent or only hears the room', () => {
  const speakers = new LoudestSpeakers();
  const voices = new Map<string, Voice>();
  for (let i = 0; i < 20; i++) voices.set(`p${i}`, i % 2 ? silent : () => 58); // -58 dBov: under -50
  run(speakers, voices, 0, 3000, (now) => assert.equal(speakers.selected(now), []));
  assert.is(speakers.loudness('p1', 3000), -127);
  assert.ok(Math.abs(speakers.loudness('p0', 3000) + 58) < 0.5);
  assert.not.ok(speakers.isSpeaking('p0', 3000));
});

test('a member that went quiet keeps its slot until someone speaks, then yields it at once', () => {
  const speakers = new LoudestSpeakers();
  const voices = new Map<string, Voice>([['a', () => 25], ['b', () => 25], ['c', () => 25], ['d', silent]]);
  run(speakers, voices, 0, 2000);
  voices.set('c', silent);
  run(speakers, voices, 2000, 6000);
  assert.ok(speakers.isSelected('c', 6000), 'kept through silence');
  voices.set('d', () => 40); // quieter speech than the others, but c is silent
  run(speakers, voices, 6000, 6200);
  assert.ok(speakers.isSelected('d', 6200));
  assert.not.ok(speakers.isSelected('c', 6200));
});

test('publishers that stop sending age out after 2 s, and remove() frees a slot at once', () => {
  const speakers = new LoudestSpeakers();
  const voices = new Map<string, Voice>([['a', () => 25], ['b', () => 25], ['c', () => 25]]);
  run(speakers, voices, 0, 1000);
  voices.delete('c');
  run(speakers, voices, 1000, 2900);
  assert.ok(speakers.isSelected('c', 2900));
  run(speakers, voices, 2900, 3100);
  assert.not.ok(speakers.isSelected('c', 3100));
  assert.is(speakers.loudness('c', 3100), -127);
  speakers.remove('a');
  assert.equal(speakers.selected(3100), ['b']);
});

test('with useVoiceFlag, packets without the V flag count as silence', () => {
  const speakers = new LoudestSpeakers({ useVoiceFlag: true });
  for (let now = 0; now < 1000; now += PACKET_MS) speakers.observe('music', 20, false, now);
  assert.not.ok(speakers.isSelected('music', 1000));
  const ignoring = new LoudestSpeakers();
  for (let now = 0; now < 1000; now += PACKET_MS) ignoring.observe('music', 20, false, now);
  assert.ok(ignoring.isSelected('music', 1000));
});

test('malformed levels count as silence and time going backwards is harmless', () => {
  const speakers = new LoudestSpeakers();
  speakers.observe('a', Number.NaN, true, 0);
  speakers.observe('a', 400, true, 20);
  speakers.observe('a', -5, true, 40);
  assert.is(speakers.loudness('a', 40), -127);
  for (let now = 1000; now > 0; now -= PACKET_MS) speakers.observe('b', 20, true, now);
  assert.ok(speakers.loudness('b', 1000) <= -20, 'packets from the past add nothing');
  for (let now = 1000; now < 2000; now += PACKET_MS) speakers.observe('b', 20, true, now);
  assert.ok(speakers.loudness('b', 2000) > -22, 'and time moving on again works as usual');
});

test('the capacity limit lowers the number of speakers at once, the quietest going first, and lifts it again', () => {
  const limit: { maxAudio?: number } = {};
  const speakers = new LoudestSpeakers({}, limit);
  const voices = new Map<string, Voice>([['alice', talker(1, -22)], ['bob', talker(2, -28)], ['carol', talker(3, -34)]]);
  run(speakers, voices, 0, 2000);
  assert.equal(speakers.selected(2000), ['alice', 'bob', 'carol']);
  limit.maxAudio = 2;
  run(speakers, voices, 2000, 2200);
  assert.equal(speakers.selected(2200), ['alice', 'bob'], 'the quietest talker is left out');
  limit.maxAudio = 1;
  run(speakers, voices, 2200, 2400);
  assert.equal(speakers.selected(2400), ['alice']);
  limit.maxAudio = Infinity;
  run(speakers, voices, 2400, 3000);
  assert.equal(speakers.selected(3000), ['alice', 'bob', 'carol'], 'never more than its own count of 3, and back to it');
});

test.run();
