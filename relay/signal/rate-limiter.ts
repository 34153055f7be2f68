/** A token bucket: `ratePerS` tokens a second, at most `burst` saved up. Time is passed in. */
export class RateLimiter {
  #tokens: number;
  #at = -1;

  constructor(
    readonly ratePerS: number,
    readonly burst: number,
  ) {
    this.#tokens = burst;
  }

  take(now: number): boolean {
    if (this.#at >= 0) this.#tokens = Math.min(this.burst, this.#tokens + ((now - this.#at) * this.ratePerS) / 1000);
    this.#at = now;
    if (this.#tokens < 1) return false;
    this.#tokens -= 1;
    return true;
  }
}
