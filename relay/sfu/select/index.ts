/**
 * The SFU's selection core: which packets go to whom. Pure (no werift, sockets, timers or clock:
 * every time is a `now` in ms passed in), so bench/ and the tests drive exactly what production runs.
 *
 * - rtp-header: zero-copy RTP header and extension parsing, VP8/H.264 keyframe detection;
 * - audio-level: RFC 6464 levels and the loudest N speakers forwarded to listeners;
 * - dominant-speaker: the one speaker for the large view, with a longer hold;
 * - layer-policy: which simulcast layer each shown video gets, from tile size, layers and budget;
 * - layer-selector: that choice over time (upgrade hysteresis) and layer switches at keyframes;
 * - keyframe-requester: PLI/FIR throttling and coalescing per stream;
 * - bandwidth: rate meters and the loss-based estimate (receiver reports, REMB) that caps layers;
 * - capacity: what the whole relay can afford under CPU overload (layers, then videos per subscriber);
 * - subscriptions: last-N, and `shouldForward`, the per-packet decision combining them;
 * - paused-videos: which shown videos are paused for each subscriber, and why, told on change.
 */
export { RtpHeader, isH264Keyframe, isVp8Keyframe } from './rtp-header.ts';
export {
  DEFAULT_LOUDEST_SPEAKERS,
  LoudestSpeakers,
  amplitudeToDbov,
  audioLevelDbov,
  readAudioLevel,
  voiceActivity,
  type LoudestSpeakersParams,
  type LoudnessSource,
} from './audio-level.ts';
export { DEFAULT_DOMINANT_SPEAKER, DominantSpeaker, type DominantSpeakerChange, type DominantSpeakerParams } from './dominant-speaker.ts';
export {
  CoverThenFitPolicy,
  HIDDEN,
  NO_BANDWIDTH,
  NO_CAPACITY,
  NO_LAYER,
  SIMULCAST_LADDER,
  defaultLayerPolicy,
  pauseReason,
  type Layer,
  type LayerPolicy,
  type LayerSource,
  type PauseReason,
  type TileDemand,
} from './layer-policy.ts';
export { DEFAULT_LAYER_SELECTOR, LadderError, LayerSelector, VideoSource, VideoSubscription, type LayerSelectorParams } from './layer-selector.ts';
export { DEFAULT_KEYFRAME_REQUESTER, KeyframeRequester, type KeyframeRequesterParams } from './keyframe-requester.ts';
export { CAPACITY_LEVELS, CapacityGovernor, DEFAULT_CAPACITY, UNLIMITED, type CapacityLimit, type CapacityParams } from './capacity.ts';
export { DEFAULT_LOSS_BASED, LossBasedEstimate, RateMeter, type LossBasedParams } from './bandwidth.ts';
export {
  Subscriptions,
  type DropReason,
  type ForwardDecision,
  type KeyframeRequest,
  type MediaKind,
  type ShownTile,
  type SubscriptionsOptions,
  type VideoKind,
} from './subscriptions.ts';
