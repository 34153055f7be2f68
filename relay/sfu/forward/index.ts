/**
 * The pure forwarding primitives of the SFU: wraparound (unwrap), per-subscriber sequence/timestamp
 * rewriting across source switches (munger), the per-stream packet cache, the NACK answer and the
 * abs-send-time stamp. No werift, sockets, timers or clock: packets and `now` in, decisions out
 * (STYLE §1–5).
 */
export { ABS_SEND_TIME_LENGTH, ABS_SEND_TIME_URI, absSendTime, absSendTimeMs, stampAbsSendTime, writeAbsSendTime } from './abs-send-time.ts';
export { ForwardConfigError } from './errors.ts';
export { OutputHistory, type NackTarget } from './history.ts';
export {
  DROP_REASONS,
  type DropDecision,
  type DropReason,
  type ForwardDecision,
  type MungerOptions,
  type MungerPacket,
  type PadDecision,
  type SendDecision,
  SequenceMunger,
  type SourceId,
} from './munger.ts';
export {
  buildNackFci,
  NackResponder,
  type NackOutcome,
  type NackTranslator,
  type NackResponderOptions,
  parseNackFci,
  type Resend,
  type RetransmitSource,
} from './nack.ts';
export { PacketCache, type PacketCacheStats } from './packet-cache.ts';
export { hasRtpPadding, isPaddingOnly, isRtp, isRtpDatagram, paddingPacketLike, RTP_HEADER_SIZE, readRtpSeq, readRtpSsrc, readRtpTimestamp, rtpHeaderLength, writeRtpSeqTs } from './rtp.ts';
export {
  SEQ_CYCLE,
  SeqUnwrapper,
  seqDistance,
  TS_CYCLE,
  TimestampUnwrapper,
  tsDistance,
  unwrapSeqNear,
  unwrapTsNear,
  wrapSeq,
  wrapTs,
} from './unwrap.ts';
