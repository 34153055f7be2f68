/**
 * The vocabulary of the packet path: what a forwarded packet looks like to the core, and the decision
 * the core returns for it (STYLE §2, decide then act). Drop decisions are shared frozen constants, so
 * dropping allocates nothing; a send decision is fresh, or the caller's own object refilled.
 */

export type SourceId = string | number;

export interface MungerPacket {
  sourceId: SourceId;
  /** 16-bit RTP sequence number as received from the source. */
  seq: number;
  /** 32-bit RTP timestamp as received from the source. */
  ts: number;
  /** Last packet of a frame; the munger does not need it, layer policies do. */
  marker: boolean;
  /** True on the packet that starts a keyframe (on every packet for audio). */
  isKeyframe: boolean;
  /** 0 for a padding-only packet (a publisher's bandwidth probe). */
  payloadLength: number;
}

/**
 * - not-selected: the source is neither forwarded nor awaited in this slot (or is newer than the
 *   switch away from it);
 * - awaiting-keyframe: the switch target, before the keyframe a decoder could start from;
 * - before-switch: a late packet of the current source from before its switch point;
 * - too-old: late beyond the reorder window, or beyond what is remembered to place it;
 * - duplicate: its output number was already sent (or belongs to a packet that was dropped);
 * - padding: padding-only, not worth the subscriber's bandwidth;
 * - filtered: the caller decided (`drop()`), e.g. a temporal layer above the subscriber's.
 */
export type DropReason = 'not-selected' | 'awaiting-keyframe' | 'before-switch' | 'too-old' | 'duplicate' | 'padding' | 'filtered';
export const DROP_REASONS: readonly DropReason[] = ['not-selected', 'awaiting-keyframe', 'before-switch', 'too-old', 'duplicate', 'padding', 'filtered'];

export type SendDecision = { send: { seq: number; ts: number } };
export type DropDecision = { readonly drop: DropReason };
export type ForwardDecision = SendDecision | DropDecision;
/**
 * From `drop()` of a late packet whose output number is a hole: send a padding-only packet there
 * instead, so the receiver closes its NACK entry rather than asking for a packet that will never come.
 */
export type PadDecision = { pad: { seq: number; ts: number } };

export const DROPS: { readonly [R in DropReason]: DropDecision } = Object.freeze({
  'not-selected': Object.freeze({ drop: 'not-selected' }),
  'awaiting-keyframe': Object.freeze({ drop: 'awaiting-keyframe' }),
  'before-switch': Object.freeze({ drop: 'before-switch' }),
  'too-old': Object.freeze({ drop: 'too-old' }),
  duplicate: Object.freeze({ drop: 'duplicate' }),
  padding: Object.freeze({ drop: 'padding' }),
  filtered: Object.freeze({ drop: 'filtered' }),
});
