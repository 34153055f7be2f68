/**
 * Generic NACK (RFC 4585 §6.2.1) and the answer to it.
 *
 * A receiver reports lost packets in an RTPFB (PT 205, FMT 1) feedback message whose FCI is a list of
 * 4-byte entries: PID, a lost 16-bit sequence number, and BLP, a 16-bit mask where bit i (least
 * significant first) means PID + i + 1 is lost too. One entry covers 17 consecutive numbers.
 *
 * The subscriber NACKs *output* numbers of its slot. The munger's history says which source packet
 * went out under that number and with which timestamp; that source's packet cache has the bytes; the
 * resend is a fresh copy with the output seq/ts written in (SSRC and header extensions are the
 * transport adapter's, as for forwarded packets), or padding again where the munger padded a hole. Receivers re-NACK every RTT or so while a packet is
 * missing, and NACK storms feed on themselves, so each packet is resent at most once per RTT and at
 * most `maxResends` times in all.
 */
import { ForwardConfigError } from './errors.ts';
import type { NackTarget } from './history.ts';
import type { SourceId } from './munger.ts';
import { paddingPacketLike, writeRtpSeqTs } from './rtp.ts';
import { SEQ_CYCLE, unwrapSeqNear } from './unwrap.ts';

/** The lost sequence numbers in a generic NACK FCI, appended to `into`. A trailing partial entry is ignored. */
export function parseNackFci(fci: Uint8Array, into: number[] = []): number[] {
  for (let at = 0; at + 4 <= fci.byteLength; at += 4) {
    const pid = ((fci[at] ?? 0) << 8) | (fci[at + 1] ?? 0);
    const blp = ((fci[at + 2] ?? 0) << 8) | (fci[at + 3] ?? 0);
    into.push(pid);
    for (let bit = 0; bit < 16; bit++) if (blp & (1 << bit)) into.push((pid + bit + 1) & 0xffff);
  }
  return into;
}

/** The shortest generic NACK FCI naming every sequence number in `seqs` (wrap-aware, duplicates ignored). */
export function buildNackFci(seqs: readonly number[]): Uint8Array {
  const first = seqs[0];
  if (first === undefined) return new Uint8Array(0);
  const reference = (first & 0xffff) + SEQ_CYCLE;
  const exts = seqs.map((seq) => unwrapSeqNear(reference, seq)).sort((a, b) => a - b);
  const entries: number[] = [];
  let pid = -1;
  let blp = 0;
  for (const ext of exts) {
    if (pid >= 0 && ext <= pid + 16) {
      if (ext > pid) blp |= 1 << (ext - pid - 1);
      continue;
    }
    if (pid >= 0) entries.push(pid, blp);
    pid = ext;
    blp = 0;
  }
  entries.push(pid, blp);
  const fci = new Uint8Array(entries.length * 2);
  for (let i = 0; i < entries.length; i += 2) {
    const p = (entries[i] ?? 0) & 0xffff;
    const b = entries[i + 1] ?? 0;
    fci.set([p >> 8, p & 0xff, b >> 8, b & 0xff], i * 2);
  }
  return fci;
}

/** Anything that can hand back a source's packet by its 16-bit sequence number; PacketCache does. */
export interface RetransmitSource {
  getBySeq(seq: number): Uint8Array | undefined;
}

/**
 * A packet to send again: `packet` is the subscriber's own copy, already carrying `seq` and `ts`; for a
 * slot that was filled with padding (its packet was filtered out), a padding-only packet again.
 */
export type Resend = { packet: Uint8Array; seq: number; ts: number; sourceId: SourceId; padding: boolean };

export type NackOutcome = 'resent' | 'unknown' | 'missing' | 'throttled' | 'exhausted';

export type NackResponderOptions = {
  /** Resends per packet, ever (default 3). */
  maxResends?: number;
  /** Packets whose resends are tracked (a power of two, default 1024). */
  trackSize?: number;
};

/**
 * Whatever knows which source packet went out under an output sequence number: the slot's munger, or
 * an OutputHistory kept beside a forwarder whose mungers are out of reach (the transport's direct path).
 */
export interface NackTranslator {
  translateNack(outSeq: number, into?: NackTarget): NackTarget | undefined;
}

/** Answers one subscriber slot's NACKs; pairs with that slot's munger (or output history). */
export class NackResponder {
  readonly maxResends: number;
  readonly stats: Record<NackOutcome, number> = { resent: 0, unknown: 0, missing: 0, throttled: 0, exhausted: 0 };
  private readonly mask: number;
  private readonly tracked: Float64Array;
  private readonly lastSentAt: Float64Array;
  private readonly sentCount: Uint8Array;
  private readonly scratch: NackTarget = { sourceId: '', seq: 0, outSeq: 0, outExt: 0, outTs: 0, padding: false };

  constructor(
    private readonly munger: NackTranslator,
    options: NackResponderOptions = {},
  ) {
    const { maxResends = 3, trackSize = 1024 } = options;
    if (!(maxResends >= 1 && maxResends <= 255)) throw new ForwardConfigError(`maxResends must be in [1, 255], got ${maxResends}`);
    if (!(trackSize >= 16 && (trackSize & (trackSize - 1)) === 0)) throw new ForwardConfigError(`trackSize must be a power of two ≥ 16, got ${trackSize}`);
    this.maxResends = maxResends;
    this.mask = trackSize - 1;
    this.tracked = new Float64Array(trackSize).fill(-1);
    this.lastSentAt = new Float64Array(trackSize);
    this.sentCount = new Uint8Array(trackSize);
  }

  /**
   * The packets to resend for the NACKed output sequence numbers `outSeqs`, appended to `into`.
   * `rttMs` is the subscriber's current round-trip estimate; `cacheFor` finds a source's packet cache.
   */
  respond(outSeqs: Iterable<number>, now: number, rttMs: number, cacheFor: (sourceId: SourceId) => RetransmitSource | undefined, into: Resend[] = []): Resend[] {
    for (const outSeq of outSeqs) {
      const target = this.munger.translateNack(outSeq, this.scratch);
      if (target === undefined) {
        this.stats.unknown += 1;
        continue;
      }
      const i = target.outExt & this.mask;
      if (this.tracked[i] !== target.outExt) {
        this.tracked[i] = target.outExt;
        this.sentCount[i] = 0;
      }
      const count = this.sentCount[i] ?? 0;
      if (count >= this.maxResends) {
        this.stats.exhausted += 1;
        continue;
      }
      if (count > 0 && now - (this.lastSentAt[i] ?? 0) < rttMs) {
        this.stats.throttled += 1;
        continue;
      }
      const cached = cacheFor(target.sourceId)?.getBySeq(target.seq);
      if (cached === undefined) {
        this.stats.missing += 1;
        continue;
      }
      const packet = target.padding ? paddingPacketLike(cached, target.outSeq, target.outTs) : cached.slice();
      if (!target.padding) writeRtpSeqTs(packet, target.outSeq, target.outTs);
      this.sentCount[i] = count + 1;
      this.lastSentAt[i] = now;
      this.stats.resent += 1;
      into.push({ packet, seq: target.outSeq, ts: target.outTs, sourceId: target.sourceId, padding: target.padding });
    }
    return into;
  }
}
