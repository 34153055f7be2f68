/**
 * NACK answers on the direct send path (RFC 4585 generic NACK).
 *
 * On the werift path each slot's RTCRtpSender keeps the last 128 packets it sent and answers NACKs
 * itself. The direct path keeps nothing in werift, so the room keeps what a retransmission needs:
 * - one PacketCache per publication stream (video layer), holding the source packets that were
 *   forwarded, once for all subscribers (a copy per incoming packet, not per delivery);
 * - per subscriber slot, an OutputHistory: output sequence number → (stream, source seq, output ts),
 *   read off the bytes actually sent, so it is right whatever forwarder numbered them;
 * - per slot a NackResponder on that history (at most once per RTT, `maxResends` in all), made at the
 *   slot's first NACK: on a clean network most slots never get one (8.7 KB each, ~3,750 video slots in
 *   a room of 150).
 * A resend is the source packet rewritten for the slot again (SSRC, payload type, extensions) with the
 * output seq/ts it first went out with: byte for byte what the subscriber lost, but for its
 * abs-send-time (a resend is a new send; the direct sender stamps it as it leaves).
 *
 * The mungers of the forwarding core also keep such a history, but they are the core's private state;
 * this one costs ~20 KB per slot that carried video, against werift's 128 cached packets per slot.
 */
import { absSendTime, NackResponder, OutputHistory, PacketCache, readRtpSeq, readRtpTimestamp, SeqUnwrapper } from '../forward/index.ts';
import type { NackResponderOptions, Resend, SourceId } from '../forward/index.ts';
import { rewriteForSlot } from './forwarder.ts';
import type { Publication, SlotInfo } from './forwarder.ts';

export type RetransmitOptions = {
  /** Source packets kept per stream (a power of two, default 512: ~170 ms of a 3 Mb/s layer). */
  cacheSize?: number;
  /** And for how long, ms (default 1000; `sweep` drops older ones: PacketCache). */
  cacheMaxAgeMs?: number;
  /** Output packets remembered per slot (a power of two, default 512). */
  historySize?: number;
  /** Assumed round trip, ms: a packet is resent at most once per this (default 100). */
  rttMs?: number;
  responder?: NackResponderOptions;
};

type Stream = { pub: Publication; cache: PacketCache; seqs: SeqUnwrapper };
type Slot = { history: OutputHistory; seqs: SeqUnwrapper; responder: NackResponder | null };

export class Retransmitter {
  readonly stats = { resent: 0, unknown: 0, malformed: 0 };
  readonly #streams = new Map<SourceId, Stream>();
  /** subscriber → slot mid → its history (nested: no key string built per delivery). */
  readonly #slots = new Map<string, Map<string, Slot>>();
  readonly #options: RetransmitOptions;
  readonly #resends: Resend[] = [];

  constructor(options: RetransmitOptions = {}) {
    this.#options = options;
  }

  /** A source packet that was forwarded to at least one slot at `now` (ms): kept for resends. */
  ingress(pub: Publication, packet: Uint8Array, now: number): void {
    let s = this.#streams.get(pub.id);
    if (!s) {
      s = { pub, cache: new PacketCache(this.#options.cacheSize ?? 512, this.#options.cacheMaxAgeMs ?? 1000), seqs: new SeqUnwrapper() };
      this.#streams.set(pub.id, s);
    }
    s.cache.put(s.seqs.unwrap(readRtpSeq(packet)), packet, now);
  }

  /** Drops cached packets older than `cacheMaxAgeMs` (the room calls this on its tick). */
  sweep(now: number): void {
    for (const s of this.#streams.values()) s.cache.sweep(now);
  }

  /** `out` (the bytes as sent to the slot) carried the source packet `packet` of `pub`. */
  sent(subscriber: string, mid: string, pub: Publication, packet: Uint8Array, out: Uint8Array): void {
    let slots = this.#slots.get(subscriber);
    if (!slots) {
      slots = new Map();
      this.#slots.set(subscriber, slots);
    }
    let slot = slots.get(mid);
    if (!slot) {
      slot = { history: new OutputHistory(this.#options.historySize ?? 512), seqs: new SeqUnwrapper(), responder: null };
      slots.set(mid, slot);
    }
    slot.history.record(slot.seqs.unwrap(readRtpSeq(out)), readRtpTimestamp(out), pub.id, readRtpSeq(packet), false);
  }

  /** The packets to send again into `slot` for its NACKed output numbers: each a fresh buffer, ready to send. */
  respond(slot: SlotInfo, seqs: readonly number[], now: number): Uint8Array[] {
    const s = this.#slots.get(slot.subscriber)?.get(slot.mid);
    if (!s) {
      this.stats.unknown += seqs.length;
      return [];
    }
    const resends = this.#resends;
    resends.length = 0;
    const history = s.history;
    s.responder ??= new NackResponder({ translateNack: (seq, into) => history.lookup(seq, into) }, { trackSize: history.size, ...this.#options.responder });
    s.responder.respond(seqs, now, this.#options.rttMs ?? 100, (id) => this.#streams.get(id)?.cache, resends);
    const out: Uint8Array[] = [];
    for (const r of resends) {
      const pub = this.#streams.get(r.sourceId)?.pub;
      const bytes = pub && rewriteForSlot(r.packet, pub.extensions, slot, absSendTime(now));
      if (!bytes) {
        this.stats.malformed++;
        continue;
      }
      out.push(bytes);
      this.stats.resent++;
    }
    return out;
  }

  /** The stream ended: its packets can't be resent any more. */
  removeStream(pubId: string): void {
    this.#streams.delete(pubId);
  }

  /** The session left: its slots and its streams go. */
  removeSession(sessionId: string): void {
    this.#slots.delete(sessionId);
    for (const [id, s] of this.#streams) if (s.pub.sessionId === sessionId) this.#streams.delete(id);
  }

  /** The subscriber renegotiated: slots that are gone forget what they sent. */
  keepSlots(subscriber: string, mids: readonly string[]): void {
    const slots = this.#slots.get(subscriber);
    for (const mid of slots?.keys() ?? []) if (!mids.includes(mid)) slots!.delete(mid);
  }
}
