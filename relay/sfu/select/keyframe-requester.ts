/**
 * Keyframe requests (RTCP PLI, RFC 4585 §6.3.1, or FIR, RFC 5104 §4.3.1) towards publishers.
 *
 * Every subscriber that starts a video or switches layer needs a keyframe of that stream. Forwarded
 * one for one, 150 subscribers switching at once would make the publisher encode keyframe after
 * keyframe, each several times the size of a delta frame. So requests are coalesced per stream:
 * - at most one request per stream every 500 ms; requests meanwhile are served by the keyframe
 *   already asked for, or, if that one has arrived already, by one more request when the interval
 *   has passed (`due`);
 * - if no keyframe arrives within 1 s of a request (the PLI or the keyframe was lost), `due` asks
 *   again, up to 10 times in a row, after which the stream is left alone until the next request;
 * - any keyframe, asked for or periodic, satisfies everything pending on its stream.
 * Stream ids are the caller's (SSRC, or publication and layer).
 */

export interface KeyframeRequesterParams {
  /** At most one request per stream this often, ms. */
  minIntervalMs: number;
  /** Ask again when no keyframe arrived within this long, ms. */
  retryAfterMs: number;
  /** Retries without a keyframe before giving up. */
  maxRetries: number;
}

export const DEFAULT_KEYFRAME_REQUESTER: KeyframeRequesterParams = {
  minIntervalMs: 500,
  retryAfterMs: 1000,
  maxRetries: 10,
};

interface StreamState {
  /** When the last request was sent (-Infinity: never). */
  sentAt: number;
  /** A sent request has not been answered by a keyframe yet. */
  awaiting: boolean;
  /** A request came while throttled and no keyframe has answered it since. */
  wanted: boolean;
  retries: number;
}

export class KeyframeRequester {
  readonly params: KeyframeRequesterParams;
  readonly #streams = new Map<string, StreamState>();

  constructor(params: Partial<KeyframeRequesterParams> = {}) {
    this.params = { ...DEFAULT_KEYFRAME_REQUESTER, ...params };
  }

  /** A subscriber needs a keyframe of `streamId`: send a PLI now, or not (it is taken care of). */
  request(streamId: string, now: number): 'send' | 'throttled' {
    let s = this.#streams.get(streamId);
    if (!s) {
      s = { sentAt: -Infinity, awaiting: false, wanted: false, retries: 0 };
      this.#streams.set(streamId, s);
    }
    const since = now - s.sentAt;
    if (s.awaiting) {
      // The request in flight will answer this one, unless it looks lost.
      if (since < this.params.retryAfterMs) return 'throttled';
      s.retries++;
      s.sentAt = now;
      return 'send';
    }
    if (since >= this.params.minIntervalMs) {
      s.sentAt = now;
      s.awaiting = true;
      s.wanted = false;
      s.retries = 0;
      return 'send';
    }
    s.wanted = true;
    return 'throttled';
  }

  /** A keyframe of `streamId` went through the relay. */
  onKeyframe(streamId: string, _now: number): void {
    const s = this.#streams.get(streamId);
    if (!s) return;
    s.awaiting = false;
    s.wanted = false;
    s.retries = 0;
  }

  /** Streams to send a request for now: retries and throttled requests whose interval has passed. */
  due(now: number, out: string[] = []): string[] {
    const { minIntervalMs, retryAfterMs, maxRetries } = this.params;
    for (const [id, s] of this.#streams) {
      const since = now - s.sentAt;
      if (s.awaiting && since >= retryAfterMs) {
        if (s.retries >= maxRetries) {
          s.awaiting = false;
          continue;
        }
        s.retries++;
        s.sentAt = now;
        out.push(id);
      } else if (s.wanted && since >= minIntervalMs) {
        s.wanted = false;
        s.awaiting = true;
        s.retries = 0;
        s.sentAt = now;
        out.push(id);
      }
    }
    return out;
  }

  /** Whether a request for `streamId` is still unanswered. */
  isPending(streamId: string): boolean {
    const s = this.#streams.get(streamId);
    return s !== undefined && (s.awaiting || s.wanted);
  }

  /** The stream ended (publication closed, layer gone). */
  remove(streamId: string): void {
    this.#streams.delete(streamId);
  }
}
