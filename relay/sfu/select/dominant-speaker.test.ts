import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { mulberry32 } from '../../../crdt/testing/network.ts';
import { LoudestSpeakers, type LoudnessSource } from './audio-level.ts';
import { DominantSpeaker, type DominantSpeakerChange } from './dominant-speaker.ts';

/** Levels set by hand, as an already-smoothed source would report them. */
class FakeLevels implements LoudnessSource {
  readonly levels = new Map<string, number>();
  forEachLoudness(_now: number, visit: (id: string, dbov: number) => void): void {
    for (const [id, dbov] of this.levels) visit(id, dbov);
  }
}

/** Ticks every 100 ms over [from, to), `script` setting levels before each tick; returns the changes. */
function tick(dominant: DominantSpeaker, levels: FakeLevels, from: number, to: number, script: (now: number) => void = () => {}): DominantSpeakerChange[] {
  const changes: DominantSpeakerChange[] = [];
  for (let now = from; now < to; now += 100) {
    script(now);
    const change = dominant.update(now, levels);
    if (change) changes.push(change);
  }
  return changes;
}

test('nobody is dominant in silence; the first speaker takes the role after 300 ms', () => {
  const dominant = new DominantSpeaker();
  const levels = new FakeLevels();
  levels.levels.set('a', -127).set('b', -70);
  assert.equal(tick(dominant, levels, 0, 2000), []);
  levels.levels.set('a', -30);
  assert.equal(tick(dominant, levels, 2000, 3000), [{ from: undefined, to: 'a', at: 2300 }]);
  assert.is(dominant.current, 'a');
});

test('a challenger takes over only after leading for 1 s, and the change is emitted once', () => {
  const dominant = new DominantSpeaker();
  const levels = new FakeLevels();
  levels.levels.set('a', -30).set('b', -127);
  tick(dominant, levels, 0, 1000);
  // b interjects for 600 ms while a pauses: not long enough.
  const short = tick(dominant, levels, 1000, 3000, (now) => {
    const b = now >= 1000 && now < 1600;
    levels.levels.set('b', b ? -28 : -127).set('a', b ? -45 : -30);
  });
  assert.equal(short, []);
  // b talks on for 2 s while a is silent: b after 1 s.
  const long = tick(dominant, levels, 3000, 6000, (now) => {
    const b = now < 5000;
    levels.levels.set('b', b ? -28 : -60).set('a', -60);
  });
  assert.equal(long, [{ from: 'a', to: 'b', at: 4000 }]);
});

test('the dominant speaker keeps the role through pauses and long silence', () => {
  const dominant = new DominantSpeaker();
  const levels = new FakeLevels();
  levels.levels.set('a', -30).set('b', -80);
  tick(dominant, levels, 0, 1000);
  levels.levels.set('a', -127);
  assert.equal(tick(dominant, levels, 1000, 60_000), []);
  assert.is(dominant.current, 'a');
});

test('a challenger must lead by 3 dB: a talker 1 dB louder at the same time does not take over', () => {
  const dominant = new DominantSpeaker();
  const levels = new FakeLevels();
  levels.levels.set('a', -30);
  tick(dominant, levels, 0, 1000);
  levels.levels.set('b', -29);
  assert.equal(tick(dominant, levels, 1000, 10_000), []);
  levels.levels.set('b', -26);
  assert.equal(tick(dominant, levels, 10_000, 12_000).map((c) => c.to), ['b']);
});

test('a lead interrupted resets the clock', () => {
  const dominant = new DominantSpeaker();
  const levels = new FakeLevels();
  levels.levels.set('a', -40);
  tick(dominant, levels, 0, 1000);
  const changes = tick(dominant, levels, 1000, 5000, (now) => {
    levels.levels.set('b', now % 800 < 700 ? -30 : -60); // leads 700 ms, then drops for 100 ms
  });
  assert.equal(changes, []);
});

test('remove() ends the dominant role; a speaker the source no longer reports counts as silent', () => {
  const dominant = new DominantSpeaker();
  const levels = new FakeLevels();
  levels.levels.set('a', -30).set('b', -40);
  tick(dominant, levels, 0, 1000);
  assert.is(dominant.remove('b', 1000), undefined, 'not dominant: no change');
  assert.equal(dominant.remove('a', 1000), { from: 'a', to: undefined, at: 1000 });
  levels.levels.delete('a');
  assert.equal(tick(dominant, levels, 1000, 2000).map((c) => c.to), ['b']);
  levels.levels.delete('b'); // aged out of the source, not removed
  levels.levels.set('c', -45);
  const changes = tick(dominant, levels, 2000, 4000);
  assert.equal(changes, [{ from: 'b', to: 'c', at: 3000 }]);
});

test('with 150 microphones, a lecture with a short question keeps the lecturer; a long answer moves the view', () => {
  const speakers = new LoudestSpeakers();
  const dominant = new DominantSpeaker();
  const random = mulberry32(7);
  const changes: DominantSpeakerChange[] = [];
  let inWord = true;
  const lecturer = (now: number): number => {
    if (now >= 10_000 && now < 14_000) return 127; // listens to the answer
    inWord = inWord ? random() > 0.05 : random() < 0.15;
    return inWord ? 24 + Math.floor(random() * 6) : 127;
  };
  const student = (now: number): number => {
    const question = now >= 5000 && now < 5600; // "sorry, which slide?" over the lecture
    const answer = now >= 10_000 && now < 14_000;
    return question || answer ? 26 + Math.floor(random() * 6) : 75;
  };
  for (let now = 0; now < 20_000; now += 20) {
    speakers.observe('lecturer', lecturer(now), true, now);
    speakers.observe('student', student(now), true, now);
    for (let i = 0; i < 148; i++) speakers.observe(`p${i}`, 60 + ((i * 7 + now) % 40), true, now);
    if (now % 200 === 0) {
      const change = dominant.update(now, speakers);
      if (change) changes.push(change);
    }
  }
  assert.equal(
    changes.map((c) => c.to),
    ['lecturer', 'student', 'lecturer'],
  );
  const toStudent = changes[1]!.at;
  assert.ok(toStudent >= 11_000 && toStudent <= 12_500, `student dominant at ${toStudent}`);
});

test.run();
