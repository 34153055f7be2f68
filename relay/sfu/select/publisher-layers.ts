/**
 * Which simulcast layers each publisher should send at all ("dynacast" in LiveKit's words).
 *
 * A camera publishes up to three layers, but in a large meeting nearly every tile is small: nobody
 * needs the 720p layer, often not even the 360p one. Each unneeded layer still costs the publisher's
 * CPU and uplink to encode and send, and the relay's CPU to receive and decrypt: on this machine the
 * relay's ingress, not its forwarding, is what saturates first (bench/ rooms, 40 participants with
 * q/h/f: 13k packets/s in, of which q was 11 %). So the relay tells each publisher how many layers,
 * from the bottom, anyone wants, and the browser turns the others off (`RTCRtpSender.setParameters`,
 * `active: false`).
 *
 * The wanted layer of a subscription covers its tile on the full ladder (what it would choose if
 * every layer were sent, within the capacity limit), since a paused layer looks inactive to the layer
 * policy and would never be chosen again. More layers are asked for at once; fewer only once they
 * have been unneeded for `downHoldMs`, so turning pages or resizing does not make encoders flap. The
 * lowest layer is always kept: a new viewer gets a picture at once.
 */

export type PublisherLayersParams = { downHoldMs: number };
export const DEFAULT_PUBLISHER_LAYERS: PublisherLayersParams = { downHoldMs: 3000 };

type State = { sent: number; lowerSince: number | null };

export class PublisherLayers {
  readonly params: PublisherLayersParams;
  readonly #state = new Map<string, State>();

  constructor(params: Partial<PublisherLayersParams> = {}) {
    this.params = { ...DEFAULT_PUBLISHER_LAYERS, ...params };
  }

  /**
   * The highest layer index any subscriber wants of `publisherId`'s video (-1: nobody shows it), out
   * of `layers`. Returns how many layers, from the bottom, the publisher should now send, when that
   * changed (the first call always answers), else undefined.
   */
  update(publisherId: string, wanted: number, layers: number, now: number): number | undefined {
    const want = Math.min(layers, Math.max(1, wanted + 1));
    const state = this.#state.get(publisherId);
    if (!state) {
      this.#state.set(publisherId, { sent: want, lowerSince: null });
      return want;
    }
    if (want > state.sent) {
      state.sent = want;
      state.lowerSince = null;
      return want;
    }
    if (want === state.sent) {
      state.lowerSince = null;
      return undefined;
    }
    state.lowerSince ??= now;
    if (now - state.lowerSince < this.params.downHoldMs) return undefined;
    state.sent = want;
    state.lowerSince = null;
    return want;
  }

  forget(publisherId: string): void {
    this.#state.delete(publisherId);
  }
}
