/**
 * What went into a signalling socket that may have died with it, to send again on the next one: the
 * last offer, and the candidates sent after it (they belong to its ICE credentials, and come after it).
 * Pure. A WebSocket given up after a network outage (signalling.ts `probe`) takes what it had not yet
 * delivered with it: an ICE restart offer sent during the outage would otherwise never be answered.
 *
 * The offer goes again only while it is unanswered (`again(true)`): a new offer instead would mean new
 * ICE credentials after a restart, and the answer to the first one could still come. Its candidates go
 * again either way (the far end may have had the offer but not them); a duplicate candidate is harmless.
 */
export const MAX_RESENT_CANDIDATES = 31;

export class Resend<M> {
  #offer: M | null = null;
  #candidates: M[] = [];

  /** An offer was sent: it and the candidates after it replace what was kept. */
  offer(message: M): void {
    this.#offer = message;
    this.#candidates = [];
  }

  /** A candidate was sent (kept only after an offer, up to MAX_RESENT_CANDIDATES). */
  candidate(message: M): void {
    if (this.#offer !== null && this.#candidates.length < MAX_RESENT_CANDIDATES) this.#candidates.push(message);
  }

  clear(): void {
    this.#offer = null;
    this.#candidates = [];
  }

  /** What to send again on a new socket, in order: the offer while `offerPending`, then its candidates. */
  again(offerPending: boolean): M[] {
    if (this.#offer === null) return [];
    return offerPending ? [this.#offer, ...this.#candidates] : [...this.#candidates];
  }
}
