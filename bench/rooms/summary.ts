/**
 * The rooms benchmark's figures from what the participants and the relay reported over the measured
 * window: a pure function of those reports (tested in bench/bench.test.ts).
 */
import type { ParticipantReport } from './load-proc.ts';
import type { RelayStats } from './relay-proc.ts';
import { percentile } from './stream-stats.ts';

export type RoomsRow = {
  preset: string;
  /** The SRTP profiles the participants' relay connections negotiated. */
  srtp: string;
  participants: number;
  joined: number;
  seconds: number;
  /** Packets/s the generators sent, the relay's core received, and the relay forwarded (deliveries). */
  sentPerSecond: number;
  relayInPerSecond: number;
  forwardedPerSecond: number;
  receivedPerSecond: number;
  /** 1 − relay in ÷ sent: lost between the generators and the relay's forwarding core. */
  ingressLoss: number;
  /** Sequence gaps ÷ expected, over all received streams (see stream-stats.ts). */
  loss: number;
  /** Per subscriber loss: mean and worst. */
  subscriberLossMean: number;
  subscriberLossMax: number;
  latencyP50Ms: number;
  latencyP95Ms: number;
  latencySamples: number;
  /** RFC 3550 interarrival jitter per received stream: median and p95 over streams. */
  jitterP50Ms: number;
  jitterP95Ms: number;
  /** Join API call → first media received; participants 3 and on (the first two wait for company). */
  joinP50Ms: number;
  joinP95Ms: number;
  audioStreamsPerSubscriber: number;
  videoStreamsPerSubscriber: number;
  verified: number;
  authFailures: number;
  relayCpuPercent: number;
  relayRssMb: number;
  generatorCpuPercent: number;
  /** Mean and worst lateness of the generators' sends against their schedule, ms. */
  generatorLagMeanMs: number;
  generatorLagMaxMs: number;
  kernelDrops: { relay: number; generators: number; rcvbufErrors: number };
  /** The machine's 1-minute load average when the window began (this run's own processes included). */
  loadAverage: number;
  errors: string[];
};

export type WindowFigures = {
  seconds: number;
  relay: { before: RelayStats; after: RelayStats; cpuSeconds: number };
  generatorCpuSeconds: number;
  kernelDrops: RowDrops;
};
type RowDrops = RoomsRow['kernelDrops'];

export function summarize(preset: { name: string; participants: number }, reports: ParticipantReport[], w: WindowFigures): RoomsRow {
  const paths = reports.flatMap((r) => (r.path ? [{ index: r.index, path: r.path, times: r.times }] : []));
  const streams = paths.flatMap((p) => p.path.streams);
  const sum = (xs: number[]) => xs.reduce((a, b) => a + b, 0);
  const sent = sum(paths.map((p) => p.path.sent.audio + p.path.sent.video));
  const received = sum(streams.map((s) => s.received));
  const expected = sum(streams.map((s) => s.expected));
  const lost = sum(streams.map((s) => s.lost));
  const perSubscriber = paths.map((p) => {
    const e = sum(p.path.streams.map((s) => s.expected));
    return e > 0 ? sum(p.path.streams.map((s) => s.lost)) / e : 0;
  });
  const latency = paths.flatMap((p) => p.path.latencyUs).sort((a, b) => a - b);
  const jitter = streams.map((s) => s.jitterMs).sort((a, b) => a - b);
  const joins = paths.filter((p) => p.index >= 2 && p.times.firstMedia > 0).map((p) => (p.times.firstMedia - p.times.start) / 1000).sort((a, b) => a - b);
  const relayIn = w.relay.after.in.audio + w.relay.after.in.video - (w.relay.before.in.audio + w.relay.before.in.video);
  const lag = paths.map((p) => p.path.lagUs);
  const lagCount = sum(lag.map((l) => l.count));
  const subscribers = Math.max(1, paths.length);
  return {
    preset: preset.name,
    participants: preset.participants,
    joined: reports.filter((r) => r.times.connected > 0).length,
    srtp: [...new Set(reports.flatMap((r) => (r.srtp ? [r.srtp] : [])))].join(', ') || 'none',
    seconds: w.seconds,
    sentPerSecond: sent / w.seconds,
    relayInPerSecond: relayIn / w.seconds,
    forwardedPerSecond: (w.relay.after.forwarded - w.relay.before.forwarded) / w.seconds,
    receivedPerSecond: received / w.seconds,
    ingressLoss: sent > 0 ? Math.max(0, 1 - relayIn / sent) : 0,
    loss: expected > 0 ? lost / expected : 0,
    subscriberLossMean: sum(perSubscriber) / subscribers,
    subscriberLossMax: Math.max(0, ...perSubscriber),
    latencyP50Ms: percentile(latency, 50) / 1000,
    latencyP95Ms: percentile(latency, 95) / 1000,
    latencySamples: latency.length,
    jitterP50Ms: percentile(jitter, 50),
    jitterP95Ms: percentile(jitter, 95),
    joinP50Ms: percentile(joins, 50),
    joinP95Ms: percentile(joins, 95),
    audioStreamsPerSubscriber: streams.filter((s) => s.kind === 'audio').length / subscribers,
    videoStreamsPerSubscriber: streams.filter((s) => s.kind === 'video').length / subscribers,
    verified: sum(paths.map((p) => p.path.verified)),
    authFailures: sum(paths.map((p) => p.path.authFailures)),
    relayCpuPercent: (100 * w.relay.cpuSeconds) / w.seconds,
    relayRssMb: w.relay.after.rss / 2 ** 20,
    generatorCpuPercent: (100 * w.generatorCpuSeconds) / w.seconds,
    generatorLagMeanMs: lagCount > 0 ? sum(lag.map((l) => l.sum)) / lagCount / 1000 : 0,
    generatorLagMaxMs: Math.max(0, ...lag.map((l) => l.max)) / 1000,
    kernelDrops: w.kernelDrops,
    loadAverage: NaN,
    errors: [...new Set(reports.flatMap((r) => r.errors))].slice(0, 10),
  };
}
