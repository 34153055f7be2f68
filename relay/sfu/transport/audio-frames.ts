/**
 * Which sessions to ask to offer again for longer audio frames (`relay-reoffer`), per room. Pure.
 *
 * Each answer asks a frame length for the room as it is then (negotiation.ts: 20 ms, 60 ms in a large
 * room). The first to join a large meeting, often the ones who talk most, were answered while it was
 * small: once the room wants longer frames than a session's last answer asked, that session is asked,
 * once, to offer again. Never the other way: a room shrinking back keeps its frames until each client
 * offers again for reasons of its own, so a room hovering at the threshold renegotiates nothing.
 */
export class AudioFrames {
  /** The frame length each session's last answer asked (ms). */
  readonly #answered = new Map<string, number>();
  /** Sessions asked to offer again, not answered since. */
  readonly #asked = new Set<string>();

  /** A session was answered with `ms` frames. */
  answered(sessionId: string, ms: number): void {
    this.#answered.set(sessionId, ms);
    this.#asked.delete(sessionId);
  }

  forget(sessionId: string): void {
    this.#answered.delete(sessionId);
    this.#asked.delete(sessionId);
  }

  /** The sessions to ask now, the room wanting `wantMs` frames; each only once until it is answered again. */
  toAsk(wantMs: number): string[] {
    const ask: string[] = [];
    for (const [sessionId, ms] of this.#answered) {
      if (ms >= wantMs || this.#asked.has(sessionId)) continue;
      this.#asked.add(sessionId);
      ask.push(sessionId);
    }
    return ask;
  }
}
