/**
 * The seam between the transport adapter and the forwarding core: the room hands every incoming RTP
 * packet to a `Forwarder`, which decides what each subscriber gets (decide); the room then hands those
 * bytes to the subscribers' peers (act). Pure: no werift, no sockets, no clock (`now` is passed in).
 *
 * `PassThroughForwarder` is the naive placeholder the forwarding core (relay/sfu/forward, select)
 * replaces: it sends every packet of a publication to every slot the publication sits in, one fresh
 * copy per subscriber, with the slot's SSRC and payload type, and only the header extensions that
 * mean something end to end (audio level, video orientation), renumbered to the subscriber's ids.
 *
 * Why a copy per subscriber: werift's `RTCRtpSender.sendRtp` parses the buffer into a packet whose
 * payload is a view of that buffer, rewrites the header in place and keeps the packet in its NACK
 * history, so a buffer shared by two subscribers would be mutated by one while the other still sends
 * or retransmits it. Whoever passes bytes to `RelayPeer.send` gives them away.
 *
 * Why the extensions are filtered: werift's sender writes its own mid, rid, transport-wide sequence
 * number and abs-send-time, but then copies every extension of the incoming packet over them by id,
 * so a publisher's mid extension would tell the subscriber's browser the packet belongs to another
 * m-section. Only the extensions listed in FORWARDED_EXTENSIONS survive.
 */
import type { Source } from './slots.ts';

export const AUDIO_LEVEL_URI = 'urn:ietf:params:rtp-hdrext:ssrc-audio-level';
export const VIDEO_ORIENTATION_URI = 'urn:3gpp:video-orientation';
export const FORWARDED_EXTENSIONS: ReadonlySet<string> = new Set([AUDIO_LEVEL_URI, VIDEO_ORIENTATION_URI]);

/** One incoming RTP stream of a participant: a track, or one simulcast layer of it. */
export type Publication = {
  /** Unique in the room: `<session>/<mid>` or `<session>/<mid>/<rid>`. */
  readonly id: string;
  readonly sessionId: string;
  readonly source: Source;
  readonly kind: 'audio' | 'video';
  readonly mid: string;
  /** The simulcast layer (RFC 8851 rid), undefined without simulcast. */
  readonly rid: string | undefined;
  /** All layers' rids of this track, in the order the offer lists them (browsers: low to high). */
  readonly rids: readonly string[];
  /** Learnt from the SDP, or from the first packet for rid-only simulcast layers. */
  ssrc: number | undefined;
  /** Negotiated header extensions of the publisher's m-section: id → URI. */
  readonly extensions: ReadonlyMap<number, string>;
};

/** A receive slot of a subscriber, as negotiated on its peer connection. */
export type SlotInfo = {
  readonly subscriber: string;
  readonly mid: string;
  readonly ssrc: number;
  readonly payloadType: number;
  /** Negotiated header extensions of the slot's m-section: URI → id. */
  readonly extensions: ReadonlyMap<string, number>;
};

export type Forwarded = { subscriber: string; slotMid: string; bytes: Uint8Array };

export interface Forwarder {
  onPacket(pub: Publication, packet: Uint8Array, now: number): Forwarded[];
}

export type DropCounts = { malformed: number; layer: number };

export class PassThroughForwarder implements Forwarder {
  readonly drops: DropCounts = { malformed: 0, layer: 0 };

  constructor(readonly slotsOf: (pub: Publication) => readonly SlotInfo[]) {}

  onPacket(pub: Publication, packet: Uint8Array, _now: number): Forwarded[] {
    // Without a layer selector only the first listed layer is forwarded: switching layers needs the
    // sequence/timestamp munger.
    if (pub.rid !== undefined && pub.rid !== pub.rids[0]) {
      this.drops.layer++;
      return [];
    }
    const out: Forwarded[] = [];
    for (const slot of this.slotsOf(pub)) {
      const bytes = rewriteForSlot(packet, pub.extensions, slot);
      if (!bytes) {
        this.drops.malformed++;
        return [];
      }
      out.push({ subscriber: slot.subscriber, slotMid: slot.mid, bytes });
    }
    return out;
  }
}

type Element = { id: number; data: Uint8Array };

/** A new packet for `slot`: SSRC, payload type and header extensions rewritten. Undefined if malformed. */
export function rewriteForSlot(packet: Uint8Array, from: ReadonlyMap<number, string>, slot: SlotInfo): Uint8Array | undefined {
  if (packet.length < 12 || packet[0]! >> 6 !== 2) return undefined;
  const cc = packet[0]! & 0x0f;
  const fixed = 12 + 4 * cc;
  if (fixed > packet.length) return undefined;
  let payloadStart = fixed;
  const kept: Element[] = [];
  if (packet[0]! & 0x10) {
    if (fixed + 4 > packet.length) return undefined;
    const profile = (packet[fixed]! << 8) | packet[fixed + 1]!;
    payloadStart = fixed + 4 + 4 * ((packet[fixed + 2]! << 8) | packet[fixed + 3]!);
    if (payloadStart > packet.length) return undefined;
    const elements = readElements(packet.subarray(fixed + 4, payloadStart), profile);
    if (!elements) return undefined;
    for (const e of elements) {
      const uri = from.get(e.id);
      const id = uri && FORWARDED_EXTENSIONS.has(uri) ? slot.extensions.get(uri) : undefined;
      if (id !== undefined) kept.push({ id, data: e.data });
    }
  }
  const block = writeElements(kept);
  const out = new Uint8Array(fixed + block.length + packet.length - payloadStart);
  out.set(packet.subarray(0, fixed));
  out.set(block, fixed);
  out.set(packet.subarray(payloadStart), fixed + block.length);
  out[0] = (out[0]! & ~0x10) | (block.length > 0 ? 0x10 : 0);
  out[1] = (out[1]! & 0x80) | (slot.payloadType & 0x7f);
  new DataView(out.buffer, out.byteOffset, out.byteLength).setUint32(8, slot.ssrc >>> 0);
  return out;
}

/** RFC 8285 elements of a one-byte (0xBEDE) or two-byte (0x100X) block; other profiles yield none. */
function readElements(block: Uint8Array, profile: number): Element[] | undefined {
  const out: Element[] = [];
  const oneByte = profile === 0xbede;
  if (!oneByte && (profile & 0xfff0) !== 0x1000) return out;
  let i = 0;
  while (i < block.length) {
    const b = block[i]!;
    if (b === 0) {
      i++;
      continue;
    }
    let id: number;
    let len: number;
    if (oneByte) {
      id = b >> 4;
      len = (b & 0x0f) + 1;
      if (id === 15) break;
      i += 1;
    } else {
      if (i + 1 >= block.length) return undefined;
      id = b;
      len = block[i + 1]!;
      i += 2;
    }
    if (i + len > block.length) return undefined;
    out.push({ id, data: block.subarray(i, i + len) });
    i += len;
  }
  return out;
}

/** An extension block (profile, length, elements, zero padding to 32 bits); empty when no elements. */
function writeElements(elements: readonly Element[]): Uint8Array {
  if (elements.length === 0) return new Uint8Array(0);
  const oneByte = elements.every((e) => e.id >= 1 && e.id <= 14 && e.data.length >= 1 && e.data.length <= 16);
  const size = elements.reduce((n, e) => n + (oneByte ? 1 : 2) + e.data.length, 0);
  const words = Math.ceil(size / 4);
  const block = new Uint8Array(4 + words * 4);
  block[0] = oneByte ? 0xbe : 0x10;
  block[1] = oneByte ? 0xde : 0x00;
  block[2] = words >> 8;
  block[3] = words & 0xff;
  let i = 4;
  for (const e of elements) {
    if (oneByte) block[i++] = (e.id << 4) | (e.data.length - 1);
    else {
      block[i++] = e.id;
      block[i++] = e.data.length;
    }
    block.set(e.data, i);
    i += e.data.length;
  }
  return block;
}
