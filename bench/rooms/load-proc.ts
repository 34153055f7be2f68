/**
 * A load-generator process of the rooms benchmark (forked by run.ts, pinned to the load core): it runs
 * the synthetic participants run.ts gives it, drives their media from one 2 ms tick, and reports.
 * Argument: the relay's base URL and the room id. IPC, in: `{ join: ParticipantSpec }`,
 * `{ measure: boolean }`, `{ report: true }`, `{ close: true }`; out: `{ ready }`,
 * `{ joined: index, times } | { failed: index, error }`, `{ report: ParticipantReport[] }`.
 */
import { Participant } from './participant.ts';
import type { JoinTimes, ParticipantSpec } from './participant.ts';
import type { PathSnapshot } from './light-path.ts';
import { monoUs } from './media.ts';
import { reportStalls } from './stalls.ts';

export type ParticipantReport = { index: number; times: JoinTimes; errors: string[]; path: PathSnapshot | undefined; srtp: string | undefined };
export type LoadMessage = { join?: ParticipantSpec; measure?: boolean; report?: true; close?: true };

const [base, roomId] = process.argv.slice(2) as [string, string];
const participants: Participant[] = [];
if (process.env.ROOMS_DEBUG) reportStalls(`load ${process.pid}`);
const reply = (m: unknown) => process.send?.(m);

const ticker = setInterval(() => {
  const now = monoUs();
  for (const p of participants) p.tick(now);
}, 2);

process.on('message', (m: LoadMessage) => {
  if (m.join) {
    const p = new Participant(m.join, base, roomId);
    participants.push(p);
    p.join().then(
      () => reply({ joined: p.spec.index, times: p.times }),
      (err: Error) => reply({ failed: p.spec.index, error: err.message }),
    );
  }
  if (m.measure !== undefined) for (const p of participants) p.media?.measure(m.measure);
  if (m.report) {
    const report: ParticipantReport[] = participants.map((p) => ({ index: p.spec.index, times: p.times, errors: p.errors.slice(0, 5), path: p.media?.snapshot(), srtp: p.srtpProfile() }));
    reply({ report });
  }
  if (m.close) {
    clearInterval(ticker);
    void Promise.all(participants.map((p) => p.close())).finally(() => setTimeout(() => process.exit(0), 100));
  }
});
process.on('disconnect', () => process.exit(0));
reply({ ready: true });
