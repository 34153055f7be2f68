/**
 * The seam between the transport adapter and the forwarding core: the room hands every incoming RTP
 * packet to a `Forwarder`, which decides what each subscriber gets (decide); the room then hands those
 * bytes to the subscribers' peers (act). Pure: no werift, no sockets, no clock (`now` is passed in).
 *
 * `PassThroughForwarder` is the naive baseline (the room's default is CoreForwarder, the forwarding
 * core): it sends every packet of a publication to every slot the publication sits in, one fresh
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
 *
 * abs-send-time is the relay's own (forward/abs-send-time.ts): when the slot negotiated it, the
 * rewritten packet carries it first in its block, with the time the caller passes; the direct send
 * path stamps it again as the packet leaves (on werift's path, this value overwrites werift's own).
 */
import { ABS_SEND_TIME_LENGTH, ABS_SEND_TIME_URI, absSendTime, writeAbsSendTime } from '../forward/index.ts';
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

  onPacket(pub: Publication, packet: Uint8Array, now: number): Forwarded[] {
    // Without a layer selector only the first listed layer is forwarded: switching layers needs the
    // sequence/timestamp munger.
    if (pub.rid !== undefined && pub.rid !== pub.rids[0]) {
      this.drops.layer++;
      return [];
    }
    const out: Forwarded[] = [];
    const sendTime = absSendTime(now);
    for (const slot of this.slotsOf(pub)) {
      const bytes = rewriteForSlot(packet, pub.extensions, slot, sendTime);
      if (!bytes) {
        this.drops.malformed++;
        return [];
      }
      out.push({ subscriber: slot.subscriber, slotMid: slot.mid, bytes });
    }
    return out;
  }
}

/** Kept extension elements of the packet being rewritten (module scratch: the packet path allocates only the output). */
const MAX_KEPT = 16;
const keptId = new Uint8Array(MAX_KEPT);
const keptAt = new Int32Array(MAX_KEPT);
const keptLength = new Uint8Array(MAX_KEPT);

/**
 * A new packet for `slot`: SSRC, payload type and header extensions rewritten. Undefined if malformed.
 * RFC 8285 one-byte (0xBEDE) and two-byte (0x100X) blocks are read; other profiles keep no element.
 * When the slot negotiated abs-send-time, its element comes first, holding `sendTime` (24-bit 6.18
 * seconds, absSendTime()). The output comes from Node's buffer pool (`allocUnsafe`, every byte
 * written): its own bytes, though possibly in an ArrayBuffer shared with other small buffers.
 */
export function rewriteForSlot(packet: Uint8Array, from: ReadonlyMap<number, string>, slot: SlotInfo, sendTime: number): Uint8Array | undefined {
  if (packet.length < 12 || packet[0]! >> 6 !== 2) return undefined;
  const fixed = 12 + 4 * (packet[0]! & 0x0f);
  if (fixed > packet.length) return undefined;
  let payloadStart = fixed;
  let kept = 0;
  let oneByteOut = true;
  if (packet[0]! & 0x10) {
    if (fixed + 4 > packet.length) return undefined;
    const profile = (packet[fixed]! << 8) | packet[fixed + 1]!;
    payloadStart = fixed + 4 + 4 * ((packet[fixed + 2]! << 8) | packet[fixed + 3]!);
    if (payloadStart > packet.length) return undefined;
    const oneByte = profile === 0xbede;
    if (oneByte || (profile & 0xfff0) === 0x1000) {
      let i = fixed + 4;
      while (i < payloadStart) {
        const b = packet[i]!;
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
          if (i + 1 >= payloadStart) return undefined;
          id = b;
          len = packet[i + 1]!;
          i += 2;
        }
        if (i + len > payloadStart) return undefined;
        const uri = from.get(id);
        const outId = uri !== undefined && FORWARDED_EXTENSIONS.has(uri) ? slot.extensions.get(uri) : undefined;
        if (outId !== undefined && kept < MAX_KEPT) {
          keptId[kept] = outId;
          keptAt[kept] = i;
          keptLength[kept] = len;
          if (outId < 1 || outId > 14 || len < 1 || len > 16) oneByteOut = false;
          kept++;
        }
        i += len;
      }
    }
  }
  const absId = slot.extensions.get(ABS_SEND_TIME_URI) ?? 0;
  if (absId > 14) oneByteOut = false;
  const elements = kept + (absId > 0 ? 1 : 0);
  let size = absId > 0 ? (oneByteOut ? 1 : 2) + ABS_SEND_TIME_LENGTH : 0;
  for (let k = 0; k < kept; k++) size += (oneByteOut ? 1 : 2) + keptLength[k]!;
  const blockLength = elements > 0 ? 4 + 4 * Math.ceil(size / 4) : 0;
  const out = Buffer.allocUnsafe(fixed + blockLength + packet.length - payloadStart);
  for (let i = 0; i < fixed; i++) out[i] = packet[i]!;
  if (elements > 0) {
    const words = (blockLength - 4) / 4;
    out[fixed] = oneByteOut ? 0xbe : 0x10;
    out[fixed + 1] = oneByteOut ? 0xde : 0x00;
    out[fixed + 2] = words >> 8;
    out[fixed + 3] = words & 0xff;
    let o = fixed + 4;
    if (absId > 0) {
      if (oneByteOut) out[o++] = (absId << 4) | (ABS_SEND_TIME_LENGTH - 1);
      else {
        out[o++] = absId;
        out[o++] = ABS_SEND_TIME_LENGTH;
      }
      writeAbsSendTime(out, o, sendTime);
      o += ABS_SEND_TIME_LENGTH;
    }
    for (let k = 0; k < kept; k++) {
      const len = keptLength[k]!;
      if (oneByteOut) out[o++] = (keptId[k]! << 4) | (len - 1);
      else {
        out[o++] = keptId[k]!;
        out[o++] = len;
      }
      for (let j = 0; j < len; j++) out[o++] = packet[keptAt[k]! + j]!;
    }
    out.fill(0, o, fixed + blockLength);
  }
  out.set(packet.subarray(payloadStart), fixed + blockLength);
  out[0] = (out[0]! & ~0x10) | (elements > 0 ? 0x10 : 0);
  out[1] = (out[1]! & 0x80) | (slot.payloadType & 0x7f);
  out.writeUInt32BE(slot.ssrc >>> 0, 8);
  return out;
}
