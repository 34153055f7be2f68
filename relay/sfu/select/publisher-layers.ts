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
 * have been unneeded for `downHoldMs`, so turning pages or resizing does not make encoders flap.
 *
 * A camera nobody shows sends nothing (0 layers), as LiveKit's dynacast does: in a room of 150 with
 * 25 tiles each, most cameras are on nobody's page, and their lowest layers alone were a third of the
 * relay's ingress (bench/ rooms). The price: a tile that comes on screen waits for its publisher to
 * resume (the relay asks at its next tick, ≤ 250 ms, then a round trip and a keyframe), instead of
 * only for a keyframe. A new publication starts as the browser does, sending every layer; the first
 * answer comes when it should send fewer, after the hold.
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
   * of `layers`. Returns how many layers, from the bottom, the publisher should now send (0: none),
   * when that changed, else undefined.
   */
  update(publisherId: string, wanted: number, layers: number, now: number): number | undefined {
    const want = Math.min(layers, Math.max(0, wanted + 1));
    let state = this.#state.get(publisherId);
    if (!state) {
      state = { sent: layers, lowerSince: null };
      this.#state.set(publisherId, state);
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
