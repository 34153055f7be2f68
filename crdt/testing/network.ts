/**
 * Test helpers: a seeded PRNG and a simulated network between Y.Docs.
 *
 * The network is a single bag of in-flight updates. Each step delivers one picked at random, which
 * models delay and reordering at once; some are delivered twice. Yjs must converge anyway, since
 * updates are commutative and idempotent and out-of-order ones wait in the pending store.
 */
import * as Y from 'yjs';

/** mulberry32: a tiny seeded PRNG returning floats in [0, 1), so a failing seed can be replayed. */
export function mulberry32(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** An integer in [min, max]. */
export function randomInt(random: () => number, min: number, max: number): number {
  return min + Math.floor(random() * (max - min + 1));
}

export function pick<T>(random: () => number, items: readonly T[]): T {
  const item = items[randomInt(random, 0, items.length - 1)];
  if (item === undefined) throw new Error('pick() from an empty list');
  return item;
}

export type Network = {
  /** Delivers one in-flight update, if any; returns whether one was delivered. */
  step(): boolean;
  /** Delivers everything still in flight (duplicates included). */
  flush(): void;
  pending(): number;
  close(): void;
};

type InFlight = { to: Y.Doc; update: Uint8Array; duplicated: boolean };

const FROM_NETWORK = Symbol('network');

export function createNetwork(docs: readonly Y.Doc[], random: () => number, duplicateProbability = 0.1): Network {
  const inFlight: InFlight[] = [];
  const unsubscribes = docs.map((doc) => {
    const onUpdate = (update: Uint8Array, origin: unknown): void => {
      // Updates received from the network are not re-broadcast: every local update reaches every peer.
      if (origin === FROM_NETWORK) return;
      for (const to of docs) if (to !== doc) inFlight.push({ to, update, duplicated: false });
    };
    doc.on('update', onUpdate);
    return () => doc.off('update', onUpdate);
  });

  const step = (): boolean => {
    if (inFlight.length === 0) return false;
    const index = randomInt(random, 0, inFlight.length - 1);
    const message = inFlight[index];
    if (message === undefined) return false;
    // Each update is duplicated at most once, so flush() terminates.
    if (!message.duplicated && random() < duplicateProbability) message.duplicated = true;
    else inFlight.splice(index, 1);
    Y.applyUpdate(message.to, message.update, FROM_NETWORK);
    return true;
  };

  return {
    step,
    flush: () => {
      while (step());
    },
    pending: () => inFlight.length,
    close: () => unsubscribes.forEach((unsubscribe) => unsubscribe()),
  };
}

/** Brings every doc up to date with every other, directly (no network). */
export function syncDocs(...docs: Y.Doc[]): void {
  for (const from of docs) {
    for (const to of docs) if (to !== from) Y.applyUpdate(to, Y.encodeStateAsUpdate(from, Y.encodeStateVector(to)));
  }
}
