/**
 * What the relay's answer accepts, m-section by m-section, and the edits its text gets after werift
 * wrote it. The relay never offers: the client's recvonly m-sections are its receive slots (the relay
 * sends), its sendonly/sendrecv ones its publications (the relay receives).
 *
 * - Header extensions: abs-send-time only where the relay sends (forward/abs-send-time.ts); on a
 *   publication it would let Chromium pad its top layer without a congestion controller on our side to
 *   use it (measured before transport-wide feedback existed here: a 45 kb/s 360p layer arrived at
 *   200–950 kb/s). The transport-wide sequence number is accepted everywhere (transport-cc.ts).
 * - Feedback formats: werift's own transport-cc generator stays off; the answer's text asks for it on
 *   publications (transport-cc.ts), unless RELAY_TRANSPORT_CC=off: browsers then estimate their upload
 *   from loss alone and send no padding-only probes.
 * - Opus DTX on the microphones the relay receives, and their frame length (opus-dtx.ts): 20 ms, or
 *   60 ms in rooms of more than LARGE_ROOM (`auto`, the default of RELAY_AUDIO_FRAME_MS), decided at
 *   each answer from the room's size then; the announced address on host candidates (candidates.ts).
 */
import type { RTCRtpTransceiver } from 'werift';
import { ABS_SEND_TIME_URI } from '../forward/index.ts';
import { announceSdp } from './candidates.ts';
import { DEFAULT_AUDIO_FRAME_MS, withOpusDtx } from './opus-dtx.ts';
import { withTransportCcFeedback, withoutWeriftTransportCc } from './transport-cc.ts';

/** Sets the direction the relay answers `t` with, and what it accepts on it. Before createAnswer. */
export function acceptTransceiver(t: RTCRtpTransceiver): void {
  if (t.offerDirection === 'sendonly') {
    t.setDirection('sendonly');
    withoutWeriftTransportCc(t);
  } else if (t.offerDirection === 'recvonly' || t.offerDirection === 'sendrecv') {
    t.setDirection('recvonly');
    t.headerExtensions = t.headerExtensions.filter((e) => e.uri !== ABS_SEND_TIME_URI);
    withoutWeriftTransportCc(t);
  }
}

/** The answer werift wrote, as the client gets it. */
export function answerText(sdp: string, announcedIp: string | undefined, audioFrameMs = DEFAULT_AUDIO_FRAME_MS, transportCc = true): string {
  const text = withOpusDtx(announceSdp(sdp, announcedIp), audioFrameMs);
  return transportCc ? withTransportCcFeedback(text) : text;
}

/** The microphones' frame length setting: `auto`, or a fixed one (ms). */
export type AudioFrameSetting = 'auto' | 20 | 40 | 60;

/** Rooms larger than this get 60 ms audio frames under `auto` (RELAY_LARGE_ROOM). */
export const LARGE_ROOM = 25;

/**
 * The frame length to ask of a microphone joining (or re-offering) while the room has `participants`
 * relay connections. Under `auto`, 60 ms above LARGE_ROOM: at 25 the three loudest talkers cost the
 * relay 3,750 audio deliveries a second at 20 ms, at 150 they cost 22,500, all of a core here.
 */
export function audioFrameMs(participants: number, setting: AudioFrameSetting = 'auto', largeRoom = LARGE_ROOM): number {
  if (setting !== 'auto') return setting;
  return participants > largeRoom ? 60 : DEFAULT_AUDIO_FRAME_MS;
}
