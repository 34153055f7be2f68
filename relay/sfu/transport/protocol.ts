/**
 * Relay-mode signalling: the messages a participant's page and the relay exchange to run the one
 * RTCPeerConnection the participant has with the relay. They travel on the signalling socket
 * (relay/signal/protocol.ts, which they will join) as JSON frames discriminated by `type`.
 *
 * The client always offers and the relay always answers, so there is no glare by construction. The
 * client's offer carries its publications as `sendonly` transceivers (microphone, camera with up to
 * three simulcast layers, screen share) and a number of `recvonly` slots: a few audio slots for the
 * loudest speakers and as many video slots as its page shows. The relay never adds a transceiver: it
 * puts publishers into the slots and says who is in which with a `slots` message, so publications
 * coming and going need no renegotiation. The client re-offers only when its own publications change
 * or it wants more slots; every offer carries the mode epoch, so an offer from an older mode is ignored.
 *
 *   client → relay   relay-offer {sdp, epoch, videoSources?, iceRestart?, offerId?}   relay-candidate {candidate | null}
 *                    view {videos: [{sessionId, source, width, height}]}
 *   relay → client   relay-answer {sdp, offerId?}   relay-candidate {candidate | null}
 *                    slots {audio: [{mid, sessionId}], video: [{mid, sessionId, source}]}
 *                    speaker {sessionId | null}   layers {source: 'camera', rids}
 *                    paused {videos: [{sessionId, source, reason}]}   relay-reoffer {}
 *
 * `layers` (our addition, "dynacast"): the simulcast layers of its camera anyone needs, lowest first;
 * the client stops encoding the others (select/publisher-layers.ts); none, when nobody shows it.
 *
 * `paused` (our addition): which of the videos seated in the subscriber's slots the relay is not
 * forwarding although the subscriber shows them, and why, so the tile can say so rather than freeze.
 * Always the whole list (empty: nothing paused any more), sent only when it changed
 * (select/paused-videos.ts). `reason`: `capacity` (the relay is over capacity and forwards fewer
 * videos), `bandwidth` (the subscriber's connection has no room for even the lowest layer),
 * `publisher` (the relay receives none of that video's layers). A video stays listed until its
 * first keyframe is forwarded again, so "not listed" means frames flow (or have yet to start).
 *
 * `videoSources` (optional, our addition) says which sendonly video mid is the camera and which the
 * screen share; without it the first sendonly video m-section is the camera and the next the screen.
 *
 * ICE restart: when the connection is lost, the client first re-offers with new ICE credentials
 * (`restartIce()`), marked `iceRestart: true` (our addition). The relay answers on the same peer, so
 * publications, slots and the DTLS session stay. If it has no peer for the session any more, it can't
 * restart: it replies with the non-fatal `relay-failed` error, and the client builds a new connection.
 * An offer from a new RTCPeerConnection (another DTLS certificate) always gets a new peer.
 *
 * `offerId` (optional, our addition): a number the client gives each offer, which the relay's answer
 * carries back, so the client applies only the answer to the offer it has pending. Offers re-sent
 * while the signalling socket was cut off (a network outage) arrive together and are all answered;
 * during an ICE restart each of them has new ICE credentials, and the relay's agent follows the last,
 * so an answer to an earlier one applied to the last would pair the wrong credentials.
 */
import { z } from 'zod';
import { SESSION_ID } from '../../signal/protocol.ts';

/** The largest SDP accepted. A browser's video m-section with every codec is ~3–4 KB, so a client
 * with many video slots must trim the slots' codecs (setCodecPreferences) to what the relay forwards. */
export const MAX_SDP_BYTES = 64 * 1024;
export const MAX_CANDIDATE_CHARS = 1024;
export const MAX_VIEW_VIDEOS = 50;
/** mids are short tokens ("0", "1", "video3"…); RFC 8843 allows 1–16 characters of a token. */
export const MID = /^[A-Za-z0-9_.+\-]{1,16}$/;

const sessionId = z.string().regex(SESSION_ID);
const mid = z.string().regex(MID);
export const videoSource = z.enum(['camera', 'screen']);
export type VideoSource = z.infer<typeof videoSource>;

const sdp = z
  .string()
  .min(1)
  .refine((s) => Buffer.byteLength(s) <= MAX_SDP_BYTES, { message: `SDP larger than ${MAX_SDP_BYTES} bytes` })
  .refine((s) => s.startsWith('v=0'), { message: 'SDP must start with v=0' });

export const iceCandidate = z
  .object({
    candidate: z.string().max(MAX_CANDIDATE_CHARS),
    sdpMid: mid.nullable().optional(),
    sdpMLineIndex: z.number().int().min(0).max(1023).nullable().optional(),
  })
  .strict();
export type IceCandidate = z.infer<typeof iceCandidate>;

const candidateMessage = z.object({ type: z.literal('relay-candidate'), candidate: iceCandidate.nullable() }).strict();

export const relayClientMessage = z.discriminatedUnion('type', [
  z
    .object({
      type: z.literal('relay-offer'),
      sdp,
      epoch: z.number().int().nonnegative(),
      videoSources: z.array(z.object({ mid, source: videoSource }).strict()).max(8).optional(),
      iceRestart: z.boolean().optional(),
      offerId: z.number().int().nonnegative().optional(),
    })
    .strict(),
  candidateMessage,
  z
    .object({
      type: z.literal('view'),
      videos: z
        .array(
          z
            .object({
              sessionId,
              source: videoSource,
              width: z.number().int().min(0).max(16384),
              height: z.number().int().min(0).max(16384),
            })
            .strict(),
        )
        .max(MAX_VIEW_VIDEOS),
    })
    .strict(),
]);
export type RelayClientMessage = z.infer<typeof relayClientMessage>;

export type AudioSlot = { mid: string; sessionId: string | null };
export type VideoSlot = { mid: string; sessionId: string | null; source: VideoSource | null };
export type SlotsMessage = { type: 'slots'; audio: AudioSlot[]; video: VideoSlot[] };

/** The dominant speaker (select/dominant-speaker.ts) changed; null: nobody (yet). Drives the large view. */
export type SpeakerMessage = { type: 'speaker'; sessionId: string | null };

/** The camera's simulcast layers (rids) someone needs; the publisher pauses the others (all of them: nobody shows it). */
export type LayersMessage = { type: 'layers'; source: 'camera'; rids: string[] };

export const pausedReason = z.enum(['capacity', 'bandwidth', 'publisher']);
export type PausedReason = z.infer<typeof pausedReason>;
/** One shown video the relay does not forward now, and why. */
export type PausedVideo = { sessionId: string; source: VideoSource; reason: PausedReason };
/** Every video paused for this subscriber now (empty: none). */
export type PausedMessage = { type: 'paused'; videos: PausedVideo[] };

/** The relay would answer differently now (a longer audio frame, the room having grown): offer again. */
export type ReofferMessage = { type: 'relay-reoffer' };

export type RelayServerMessage =
  | { type: 'relay-answer'; sdp: string; offerId?: number }
  | ReofferMessage
  | { type: 'relay-candidate'; candidate: IceCandidate | null }
  | SlotsMessage
  | SpeakerMessage
  | LayersMessage
  | PausedMessage;

/** Schema of what the relay sends, for clients and tests (the relay builds these itself). */
export const relayServerMessage = z.discriminatedUnion('type', [
  z.object({ type: z.literal('relay-answer'), sdp, offerId: z.number().int().nonnegative().optional() }).strict(),
  z.object({ type: z.literal('relay-reoffer') }).strict(),
  candidateMessage,
  z
    .object({
      type: z.literal('slots'),
      audio: z.array(z.object({ mid, sessionId: sessionId.nullable() }).strict()),
      video: z.array(z.object({ mid, sessionId: sessionId.nullable(), source: videoSource.nullable() }).strict()),
    })
    .strict(),
  z.object({ type: z.literal('speaker'), sessionId: sessionId.nullable() }).strict(),
  z.object({ type: z.literal('layers'), source: z.literal('camera'), rids: z.array(z.string().min(1).max(16)).max(3) }).strict(),
  z
    .object({
      type: z.literal('paused'),
      // At most what a view can show: the relay seats no more videos than that.
      videos: z.array(z.object({ sessionId, source: videoSource, reason: pausedReason }).strict()).max(MAX_VIEW_VIDEOS),
    })
    .strict(),
]);

export type RelayParseResult = { ok: true; message: RelayClientMessage } | { ok: false; message: string };

/** Validates a decoded JSON value from a client. Never throws. */
export function parseRelayClientMessage(value: unknown): RelayParseResult {
  const parsed = relayClientMessage.safeParse(value);
  if (parsed.success) return { ok: true, message: parsed.data };
  const issue = parsed.error.issues[0];
  const where = issue && issue.path.length > 0 ? ` at ${issue.path.join('.')}` : '';
  return { ok: false, message: `invalid relay message${where}: ${issue?.message ?? 'unknown'}` };
}
