/**
 * What a subscriber's RTCP says about the slots it receives: picture loss (PLI), full intra requests
 * (FIR), lost packets (generic NACK), receiver reports and REMB bandwidth estimates, each matched to
 * the slot by the media SSRC the packet is about.
 *
 * Matching by media SSRC is deliberate: werift's own router delivers payload-specific feedback to the
 * owner of the *sender* SSRC first, and Chrome sends receive-side RTCP from its first send stream's
 * SSRC, so a PLI about a slot would otherwise land on the receiver of the subscriber's own camera.
 */
import type { RtcpPacket } from 'werift';

export type SlotFeedback =
  | { type: 'pli' }
  | { type: 'fir' }
  | { type: 'nack'; seqs: number[] }
  | { type: 'receiver-report'; fractionLost: number; packetsLost: number; jitter: number; highestSequence: number }
  | { type: 'remb'; bitrate: number };

/** The feedback in one RTCP packet about slots in `slotBySsrc` (our sending SSRC → slot mid). */
export function slotFeedback(packet: RtcpPacket, slotBySsrc: ReadonlyMap<number, string>): Array<[string, SlotFeedback]> {
  const out: Array<[string, SlotFeedback]> = [];
  const add = (ssrc: number, feedback: SlotFeedback) => {
    const mid = slotBySsrc.get(ssrc);
    if (mid !== undefined) out.push([mid, feedback]);
  };
  switch (packet.type) {
    case 200: // a sender report's report blocks are about what we send, as a receiver report's are
    case 201:
      for (const r of packet.reports) {
        add(r.ssrc, {
          type: 'receiver-report',
          fractionLost: r.fractionLost / 256,
          packetsLost: r.packetsLost,
          jitter: r.jitter,
          highestSequence: r.highestSequence,
        });
      }
      break;
    case 205:
      if (packet.feedback.count === 1 && 'lost' in packet.feedback) {
        add(packet.feedback.mediaSourceSsrc, { type: 'nack', seqs: [...packet.feedback.lost] });
      }
      break;
    case 206: {
      const f = packet.feedback;
      if ('fir' in f) for (const e of f.fir) add(e.ssrc, { type: 'fir' });
      else if ('ssrcFeedbacks' in f) for (const s of f.ssrcFeedbacks) add(s, { type: 'remb', bitrate: Number(f.bitrate) });
      else add(f.mediaSsrc, { type: 'pli' });
      break;
    }
    default:
      break;
  }
  return out;
}
