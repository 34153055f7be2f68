/**
 * Sequence-number and timestamp munger: one per subscriber per forwarded slot.
 *
 * A slot is one outgoing SSRC whose source changes: a simulcast layer switch, or another publisher's
 * stream taking the slot (last-N video, loudest-N audio). The subscriber must see one continuous RTP
 * stream: sequence numbers that grow by one (a hole means loss, which the receiver NACKs until it gives
 * up) and timestamps that never go back. Inspired by LiveKit's rtpmunger; our own code and policy.
 *
 * - Mapping: output = input + delta, on extended numbers (unwrap.ts). A packet the SFU drops as the
 *   newest (`drop()`, or padding-only probes meant for the publisher's link) lowers the delta by one so
 *   it leaves no hole; drop-ranges.ts remembers where, so a late packet gets the delta of its position.
 *   A late packet the caller drops cannot close ranks (the receiver already misses its number), so
 *   `drop()` answers with padding for that number, which the receiver counts as received.
 * - Switching: `switchTo(id)` only names a target. The current source keeps flowing (make before break)
 *   until the target's first keyframe packet, where the switch happens: output seq continues at last + 1,
 *   output timestamp at the last one plus the wall time since it was first sent (`now` delta × clock
 *   rate, at least one tick), so players pace the new source right. Audio slots pass `isKeyframe: true`
 *   on every packet. `switchTo(null)` pauses. A source whose timestamp jumps back re-anchors the same way.
 * - Late packets within `reorderWindow` get their proper number; those from before the switch point are
 *   dropped (their number belongs to the previous source). The previous mapping is kept, so its own
 *   late packets still fill the holes they left.
 * - Output seq → (source, input seq, output ts) is kept for `translateNack`, including target packets
 *   that overtook its keyframe (early-packets.ts): holes the subscriber NACKs and the cache can answer.
 *
 * The packet path never throws and allocates nothing but the send decision (pass `reuse` to avoid it);
 * it keeps no reference to the packet object. Drops are counted by reason.
 */
import { DROPS, type DropDecision, type DropReason, type ForwardDecision, type MungerPacket, type PadDecision, type SendDecision, type SourceId } from './decision.ts';
import { EarlyPackets } from './early-packets.ts';
import { ForwardConfigError } from './errors.ts';
import { type NackTarget, OutputHistory } from './history.ts';
import { SourceMapping } from './source-mapping.ts';
import { SEQ_CYCLE, TS_CYCLE, unwrapSeqNear, unwrapTsNear, wrapSeq, wrapTs } from './unwrap.ts';

export type { NackTarget } from './history.ts';
export { DROP_REASONS, type DropDecision, type DropReason, type ForwardDecision, type MungerPacket, type PadDecision, type SendDecision, type SourceId } from './decision.ts';

export type MungerOptions = {
  /** RTP clock rate of the slot: 90000 for video, 48000 for Opus. */
  clockRate: number;
  /** First output sequence number / timestamp; by default the first source's own values pass through. */
  initialSeq?: number;
  initialTs?: number;
  /**
   * Output packets remembered for `translateNack` and duplicates (a power of two, default 1024). One
   * munger per slot, 28 slots per subscriber: at 150 participants, 2048 here held 85 MB more (measured,
   * meeting-150 RSS 669–677 MB against 583–588 MB).
   */
  historySize?: number;
  /**
   * How far behind the newest packet a late one may be and still be forwarded (default 512). The latest
   * a packet comes is a publisher's answer to the relay's last NACK, 1 s after the loss
   * (../receive/nack-requester.ts): about 300 packets of a 3 Mbit/s layer.
   */
  reorderWindow?: number;
  /** Drop runs remembered per source (default 256). */
  dropRuns?: number;
};

export class SequenceMunger {
  readonly clockRate: number;
  readonly reorderWindow: number;
  /** Packets sent, holes filled with padding, and packets dropped by reason (padded ones count as filtered). */
  sent = 0;
  padded = 0;
  readonly dropped: Record<DropReason, number> = { 'not-selected': 0, 'awaiting-keyframe': 0, 'before-switch': 0, 'too-old': 0, duplicate: 0, padding: 0, filtered: 0 };
  private current: SourceMapping;
  private previous: SourceMapping;
  private target: SourceId | null = null;
  private started = false;
  /** Highest output number handed out (sent, padded): a switch continues after it. */
  private lastOutExt = 0;
  /** The slot's timeline: newest output timestamp mapped in order (sent or dropped), and when it was. */
  private lastOutTs = 0;
  private lastOutTsAt = 0;
  private readonly history: OutputHistory;
  private readonly early = new EarlyPackets(32);

  constructor(private readonly options: MungerOptions) {
    const { clockRate, historySize = 1024, reorderWindow = 512, dropRuns = 256 } = options;
    if (!(clockRate > 0)) throw new ForwardConfigError(`clockRate must be positive, got ${clockRate}`);
    if (!(reorderWindow >= 0 && reorderWindow < historySize)) throw new ForwardConfigError(`reorderWindow must be in [0, historySize), got ${reorderWindow}`);
    if (!(dropRuns >= 1)) throw new ForwardConfigError(`dropRuns must be ≥ 1, got ${dropRuns}`);
    this.clockRate = clockRate;
    this.reorderWindow = reorderWindow;
    this.current = new SourceMapping(dropRuns);
    this.previous = new SourceMapping(dropRuns);
    this.history = new OutputHistory(historySize);
  }

  /** The source being forwarded, or null when paused or not yet started. */
  get sourceId(): SourceId | null {
    return this.current.id;
  }

  /** The source waiting for its keyframe, or null. */
  get pendingSourceId(): SourceId | null {
    return this.target;
  }

  /** Forward `sourceId` from its next keyframe on; null pauses the slot at once. */
  switchTo(sourceId: SourceId | null): void {
    if (sourceId === null) {
      if (this.current.id !== null) this.rotate();
      this.target = null;
    } else {
      const target = sourceId === this.current.id ? null : sourceId;
      if (target !== this.target) this.early.clear();
      this.target = target;
    }
  }

  forward(packet: MungerPacket, now: number, reuse?: SendDecision): ForwardDecision {
    const { sourceId } = packet;
    const cur = this.current;
    if (sourceId === cur.id) {
      const ext = unwrapSeqNear(cur.highestExt, packet.seq);
      if (ext > cur.highestExt) {
        if (packet.payloadLength > 0) return this.sendNewest(cur, ext, packet, now, reuse);
        return this.skip(cur, ext, packet, now, 'padding');
      }
      if (ext >= cur.startExt || this.previous.id !== sourceId) return this.sendLate(cur, ext, packet, reuse);
      // A re-anchored source: what precedes the anchor belongs to its previous mapping.
      return this.sendPrevious(packet, reuse) ?? this.drop1('before-switch');
    }
    if (sourceId === this.previous.id) {
      const late = this.sendPrevious(packet, reuse);
      if (late !== undefined) return late;
    }
    if (sourceId !== this.target) return this.drop1('not-selected');
    if (!packet.isKeyframe) {
      this.early.add(packet.seq, packet.ts);
      return this.drop1('awaiting-keyframe');
    }
    this.target = null;
    const ext = (packet.seq & 0xffff) + SEQ_CYCLE;
    this.begin(sourceId, ext, (packet.ts >>> 0) + TS_CYCLE, packet, now);
    const decision = this.sendNewest(this.current, ext, packet, now, reuse);
    this.early.drainInto(this.current, this.history, this.reorderWindow);
    return decision;
  }

  /**
   * The SFU chose not to forward this packet (a temporal layer above the subscriber's, say). A newest
   * packet of the current source closes ranks so the subscriber sees no hole. A late one cannot (its
   * number was skipped over and the receiver already misses it), so its hole is filled with padding.
   */
  drop(packet: MungerPacket, now: number, reuse?: PadDecision): DropDecision | PadDecision {
    const cur = this.current;
    let mapping = cur;
    let ext = -1;
    if (packet.sourceId === cur.id) {
      ext = unwrapSeqNear(cur.highestExt, packet.seq);
      if (ext > cur.highestExt) return this.skip(cur, ext, packet, now, 'filtered');
    }
    if (ext < cur.startExt && packet.sourceId === this.previous.id) {
      mapping = this.previous;
      ext = mapping.placeAfterward(packet.seq);
    }
    const outExt = ext < 0 ? 'not-selected' : this.placeLate(mapping, ext);
    if (typeof outExt !== 'number') return this.drop1('filtered');
    const outTs = unwrapTsNear(mapping.tsRefExt, packet.ts) + mapping.tsDelta;
    this.history.record(outExt, outTs, mapping.id ?? packet.sourceId, packet.seq, true);
    if (outExt > this.lastOutExt) this.lastOutExt = outExt;
    this.padded += 1;
    this.dropped.filtered += 1;
    const pad = reuse ?? { pad: { seq: 0, ts: 0 } };
    pad.pad.seq = wrapSeq(outExt);
    pad.pad.ts = wrapTs(outTs);
    return pad;
  }

  /** The original packet behind a subscriber's NACKed output sequence number, while remembered. */
  translateNack(outSeq: number, into?: NackTarget): NackTarget | undefined {
    return this.history.lookup(outSeq, into);
  }

  /** The output timestamp the current source's input `ts` maps to (for rewriting sender reports). */
  translateTimestamp(sourceId: SourceId, ts: number): number | undefined {
    const cur = this.current;
    if (sourceId !== cur.id) return undefined;
    return wrapTs(unwrapTsNear(cur.tsRefExt, ts) + cur.tsDelta);
  }

  private begin(id: SourceId, ext: number, tsExt: number, packet: MungerPacket, now: number): void {
    let outExt: number;
    let outTs: number;
    if (this.started) {
      outExt = this.lastOutExt + 1;
      outTs = this.lastOutTs + Math.max(1, Math.round(((now - this.lastOutTsAt) * this.clockRate) / 1000));
    } else {
      outExt = ((this.options.initialSeq ?? packet.seq) & 0xffff) + SEQ_CYCLE;
      outTs = ((this.options.initialTs ?? packet.ts) >>> 0) + TS_CYCLE;
      this.lastOutExt = outExt - 1;
      this.lastOutTs = outTs;
      this.lastOutTsAt = now;
      this.started = true;
    }
    this.rotate();
    this.current.begin(id, ext, tsExt, outExt - ext, outTs - tsExt);
  }

  /** The current mapping becomes the previous one; the old previous one is recycled. */
  private rotate(): void {
    const spare = this.previous;
    this.previous = this.current;
    this.current = spare;
    spare.id = null;
  }

  private sendNewest(s: SourceMapping, ext: number, packet: MungerPacket, now: number, reuse?: SendDecision): ForwardDecision {
    const tsExt = unwrapTsNear(s.tsRefExt, packet.ts);
    if (tsExt + s.tsDelta < this.lastOutTs) {
      const id = s.id ?? packet.sourceId;
      this.begin(id, ext, tsExt, packet, now);
      return this.sendNewest(this.current, ext, packet, now, reuse);
    }
    s.highestExt = s.seenExt = ext;
    s.tsRefExt = tsExt;
    const outTs = tsExt + s.tsDelta;
    this.advanceTimeline(outTs, now);
    return this.send(s, ext + s.seqDelta, outTs, packet, reuse);
  }

  /**
   * A newest packet not sent: later ones close ranks. A filtered media packet still moves the timeline
   * on (a late one may be padded with its timestamp); a padding probe's timestamp means nothing to the
   * subscriber, and may run ahead of the next frame's, so it must not.
   */
  private skip(s: SourceMapping, ext: number, packet: MungerPacket, now: number, reason: 'padding' | 'filtered'): DropDecision {
    const tsExt = unwrapTsNear(s.tsRefExt, packet.ts);
    s.skip(ext, tsExt);
    if (reason === 'filtered') this.advanceTimeline(tsExt + s.tsDelta, now);
    return this.drop1(reason);
  }

  private advanceTimeline(outTs: number, now: number): void {
    if (outTs <= this.lastOutTs) return;
    this.lastOutTs = outTs;
    this.lastOutTsAt = now;
  }

  /** A late packet of the previous mapping, or undefined if it is newer than that mapping ever got. */
  private sendPrevious(packet: MungerPacket, reuse?: SendDecision): ForwardDecision | undefined {
    const ext = this.previous.placeAfterward(packet.seq);
    return ext >= 0 ? this.sendLate(this.previous, ext, packet, reuse) : undefined;
  }

  private sendLate(s: SourceMapping, ext: number, packet: MungerPacket, reuse?: SendDecision): ForwardDecision {
    const outExt = this.placeLate(s, ext);
    if (typeof outExt !== 'number') return this.drop1(outExt);
    return this.send(s, outExt, unwrapTsNear(s.tsRefExt, packet.ts) + s.tsDelta, packet, reuse);
  }

  /** The output number a late packet of mapping `s` takes, or why it cannot have one. */
  private placeLate(s: SourceMapping, ext: number): number | DropReason {
    if (ext < s.startExt) return 'before-switch';
    if (s.seenExt - ext > this.reorderWindow || ext < s.drops.floor) return 'too-old';
    const delta = s.drops.deltaAt(ext);
    if (delta === undefined) return 'duplicate';
    const outExt = ext + delta;
    if (this.lastOutExt - outExt > this.history.mask) return 'too-old';
    return this.history.has(outExt) ? 'duplicate' : outExt;
  }

  private send(s: SourceMapping, outExt: number, outTs: number, packet: MungerPacket, reuse?: SendDecision): SendDecision {
    this.history.record(outExt, outTs, s.id ?? packet.sourceId, packet.seq, false);
    if (outExt > this.lastOutExt) this.lastOutExt = outExt;
    this.sent += 1;
    const seq = wrapSeq(outExt);
    const ts = wrapTs(outTs);
    if (reuse === undefined) return { send: { seq, ts } };
    reuse.send.seq = seq;
    reuse.send.ts = ts;
    return reuse;
  }

  private drop1(reason: DropReason): DropDecision {
    this.dropped[reason] += 1;
    return DROPS[reason];
  }
}
