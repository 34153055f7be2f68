/**
 * The forwarding core: one incoming RTP packet in, the list of (subscriber, slot, rewritten seq/ts) to send
 * out. It joins the selection modules (select/: who should get this packet at all) and the per-slot
 * sequence munger (forward/: what numbers it carries there). Pure: no werift, sockets or clock; the
 * transport adapter reads the packet off the network, calls `onPacket` with `now`, and does the sends.
 *
 * Slots are the subscriber's receive transceivers (the client offers them; the relay never adds any):
 * - video slots are assigned by the room from what the subscriber shows (`assignVideo`); the slot's
 *   munger source is the publisher's layer, so a simulcast layer switch is a source switch at a keyframe;
 * - audio slots are anonymous: they carry the loudest speakers, re-assigned here when that set changes
 *   (a speaker keeps its slot while it stays among the loudest).
 */
import { RtpHeader, isH264Keyframe, isVp8Keyframe, readAudioLevel } from './select/index.ts';
import type { Subscriptions, VideoKind } from './select/index.ts';
import { SequenceMunger } from './forward/index.ts';
import type { SendDecision } from './forward/index.ts';

export type Codec = 'opus' | 'vp8' | 'h264';
export type Publication = { publisherId: string; kind: 'audio' | VideoKind; codec: Codec; audioLevelExtId?: number };

/** One send for the transport: copy `bytes`, write `seq`/`ts` (and the slot's SSRC/PT) into the copy. */
export type Delivery = { subscriberId: string; slotId: string; seq: number; ts: number; bytes: Uint8Array };

/** `audioTurn` (audio slots): the publisher's speaking turn (Forwarder.#turns) the slot last carried. */
type Slot = { id: string; munger: SequenceMunger; publisherId: string | null; kind: 'audio' | VideoKind; audioTurn?: number };
type Subscriber = { id: string; audio: Slot[]; video: Map<string, Slot> };

export type ForwarderCounters = { packets: number; malformed: number; delivered: number; dropped: Record<string, number> };

export class Forwarder {
  readonly #subscribers = new Map<string, Subscriber>();
  /** Video slots showing a publisher, by `publisherId kind`: the fan-out list of a packet. */
  readonly #videoFanout = new Map<string, Slot[]>();
  readonly #slotOwner = new Map<Slot, Subscriber>();
  readonly #header = new RtpHeader();
  /**
   * Speaking turns: a speaker left out of the loudest (its packets dropped as 'not-loudest') starts a
   * new turn when it is back. A slot that still holds it from an earlier turn then resumes it as a
   * switch, at the next sequence number: else every packet dropped meanwhile would be a hole the
   * subscriber counts as loss (and its receiver reports would drag its bandwidth estimate down).
   */
  readonly #turns = new Map<string, number>();
  readonly #silenced = new Set<string>();
  readonly #reuse: SendDecision = { send: { seq: 0, ts: 0 } };
  readonly counters: ForwarderCounters = { packets: 0, malformed: 0, delivered: 0, dropped: {} };

  constructor(readonly subscriptions: Subscriptions) {}

  addSubscriber(id: string, audioSlotIds: readonly string[]): void {
    if (this.#subscribers.has(id)) return;
    const audio = audioSlotIds.map((slotId) => ({ id: slotId, munger: new SequenceMunger({ clockRate: 48_000 }), publisherId: null, kind: 'audio' as const }));
    this.#subscribers.set(id, { id, audio, video: new Map() });
    this.subscriptions.addSubscriber(id);
  }

  removeSubscriber(id: string): void {
    const s = this.#subscribers.get(id);
    if (!s) return;
    for (const slotId of [...s.video.keys()]) this.assignVideo(id, slotId, null, 'video');
    this.#subscribers.delete(id);
    this.#turns.delete(id);
    this.#silenced.delete(id);
    this.subscriptions.removeSubscriber(id);
  }

  /** Puts a publisher's video (or nothing) in one of the subscriber's video slots. */
  assignVideo(subscriberId: string, slotId: string, publisherId: string | null, kind: VideoKind): void {
    const s = this.#subscribers.get(subscriberId);
    if (!s) return;
    let slot = s.video.get(slotId);
    if (slot?.publisherId !== null && slot) this.#unlink(slot);
    if (publisherId === null) {
      slot?.munger.switchTo(null);
      return;
    }
    if (!slot) {
      slot = { id: slotId, munger: new SequenceMunger({ clockRate: 90_000 }), publisherId: null, kind };
      s.video.set(slotId, slot);
      this.#slotOwner.set(slot, s);
    }
    slot.publisherId = publisherId;
    slot.kind = kind;
    const key = `${publisherId} ${kind}`;
    this.#videoFanout.set(key, [...(this.#videoFanout.get(key) ?? []), slot]);
  }

  /**
   * Who each audio slot of the subscriber carries, in the order its slots were given: the speaker, or
   * null when free or when its speaker is no longer among the loudest (the slot is then up for grabs).
   * Fills `out` and returns it; for speaking indicators, polled by the adapter.
   */
  audioOccupants(subscriberId: string, now: number, out: Array<string | null> = []): Array<string | null> {
    const s = this.#subscribers.get(subscriberId);
    out.length = s?.audio.length ?? 0;
    s?.audio.forEach((slot, i) => {
      out[i] = slot.publisherId !== null && this.subscriptions.speakers.isSelected(slot.publisherId, now) ? slot.publisherId : null;
    });
    return out;
  }

  #unlink(slot: Slot): void {
    const key = `${slot.publisherId} ${slot.kind}`;
    const rest = (this.#videoFanout.get(key) ?? []).filter((s) => s !== slot);
    if (rest.length > 0) this.#videoFanout.set(key, rest);
    else this.#videoFanout.delete(key);
    slot.publisherId = null;
  }

  /**
   * Decides where one packet goes. Fills `out` (reusing its objects) and returns how many deliveries
   * it holds. Never throws: a malformed packet is counted and dropped.
   */
  onPacket(pub: Publication, layer: number, bytes: Uint8Array, now: number, out: Delivery[]): number {
    this.counters.packets++;
    const h = this.#header.wrap(bytes);
    if (!h) {
      this.counters.malformed++;
      return 0;
    }
    return pub.kind === 'audio' ? this.#audio(pub, h, bytes, now, out) : this.#video(pub, layer, h, bytes, now, out);
  }

  #audio(pub: Publication, h: RtpHeader, bytes: Uint8Array, now: number, out: Delivery[]): number {
    const speakers = this.subscriptions.speakers;
    if (pub.audioLevelExtId !== undefined) {
      const level = readAudioLevel(h, pub.audioLevelExtId);
      if (level >= 0) speakers.observe(pub.publisherId, level & 0x7f, (level & 0x80) !== 0, now);
    }
    if (!speakers.isSelected(pub.publisherId, now)) {
      this.#silenced.add(pub.publisherId);
      return this.#drop('not-loudest');
    }
    if (this.#silenced.delete(pub.publisherId)) this.#turns.set(pub.publisherId, (this.#turns.get(pub.publisherId) ?? 0) + 1);
    let n = 0;
    for (const s of this.#subscribers.values()) {
      if (s.id === pub.publisherId) continue;
      const slot = this.#audioSlot(s, pub.publisherId, now);
      if (!slot) {
        this.#drop('no-free-slot');
        continue;
      }
      n = this.#send(slot, s.id, pub.publisherId, 0, true, h, bytes, now, out, n);
    }
    return n;
  }

  /** The slot carrying this speaker for `s`: the one it has, else a free one or one whose speaker fell silent. */
  #audioSlot(s: Subscriber, publisherId: string, now: number): Slot | undefined {
    let free: Slot | undefined;
    const turn = this.#turns.get(publisherId) ?? 0;
    for (const slot of s.audio) {
      if (slot.publisherId === publisherId) {
        if (slot.audioTurn !== turn) {
          slot.audioTurn = turn;
          slot.munger.switchTo(null);
          slot.munger.switchTo(publisherId);
        }
        return slot;
      }
      if (!free && (slot.publisherId === null || !this.subscriptions.speakers.isSelected(slot.publisherId, now))) free = slot;
    }
    if (free) {
      free.publisherId = publisherId;
      free.audioTurn = turn;
      free.munger.switchTo(publisherId);
    }
    return free;
  }

  #video(pub: Publication, layer: number, h: RtpHeader, bytes: Uint8Array, now: number, out: Delivery[]): number {
    const kind = pub.kind as VideoKind;
    const slots = this.#videoFanout.get(`${pub.publisherId} ${kind}`);
    if (!slots) return this.#drop('not-shown');
    const keyframe = pub.codec === 'vp8' ? isVp8Keyframe(bytes, h.payloadOffset, h.payloadLength) : isH264Keyframe(bytes, h.payloadOffset, h.payloadLength);
    if (keyframe) this.subscriptions.onKeyframe(pub.publisherId, kind, layer, now);
    let n = 0;
    for (const slot of slots) {
      const owner = this.#slotOwner.get(slot)!;
      const verdict = this.subscriptions.shouldForward(owner.id, pub.publisherId, kind, layer, now);
      if (!verdict.forward) {
        // A paused video pauses its slot, so that resuming is a switch at a keyframe going on at the
        // next sequence number; else every packet skipped meanwhile would be a hole (loss, NACKs).
        if (verdict.reason === 'paused' && slot.munger.sourceId !== null) slot.munger.switchTo(null);
        this.#drop(verdict.reason);
        continue;
      }
      const source = `${pub.publisherId}:${kind}:${layer}`;
      if (slot.munger.sourceId !== source && slot.munger.pendingSourceId !== source) slot.munger.switchTo(source);
      n = this.#send(slot, owner.id, source, layer, keyframe, h, bytes, now, out, n);
    }
    return n;
  }

  #send(slot: Slot, subscriberId: string, sourceId: string, _layer: number, isKeyframe: boolean, h: RtpHeader, bytes: Uint8Array, now: number, out: Delivery[], n: number): number {
    const decision = slot.munger.forward(
      { sourceId, seq: h.sequenceNumber, ts: h.timestamp, marker: h.marker, isKeyframe, payloadLength: h.payloadLength },
      now,
      this.#reuse,
    );
    if (!('send' in decision)) {
      this.#drop(decision.drop);
      return n;
    }
    const d = (out[n] ??= { subscriberId: '', slotId: '', seq: 0, ts: 0, bytes });
    d.subscriberId = subscriberId;
    d.slotId = slot.id;
    d.seq = decision.send.seq;
    d.ts = decision.send.ts;
    d.bytes = bytes;
    this.counters.delivered++;
    return n + 1;
  }

  #drop(reason: string): number {
    this.counters.dropped[reason] = (this.counters.dropped[reason] ?? 0) + 1;
    return 0;
  }
}
