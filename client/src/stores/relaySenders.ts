/**
 * Our tracks on the relay link: the `sendonly` transceivers for the microphone, the camera (VP8
 * simulcast q/h/f) and the screen share, added to the link's connection once we publish and never
 * removed from it; a track that changes or goes away is swapped in place (replaceTrack), so only a
 * source seen for the first time needs a re-offer.
 *
 * The camera's layers: the relay's `layers` message names the simulcast layers someone watches; the
 * others stop encoding. Chromium turns every encoding back on whenever an answer is applied, and a
 * camera added since starts with all of them, so the relay's choice is applied again after each answer.
 */
import type { VideoSource } from '../../../relay/sfu/transport/protocol.ts';
import { onlyCodec, sendOnlyLayers, simulcastLayers } from '../lib/relaySlots.ts';
import { media } from './media.ts';

type Source = 'audio' | VideoSource;

/** Keeps only Opus or VP8 on a transceiver: all the relay forwards, and a smaller SDP. */
export function keepCodec(t: RTCRtpTransceiver, kind: 'audio' | 'video'): void {
  const codecs = onlyCodec(RTCRtpReceiver.getCapabilities(kind)?.codecs ?? [], kind === 'audio' ? 'audio/opus' : 'video/VP8');
  try {
    if (codecs.length > 0) t.setCodecPreferences(codecs);
  } catch (error) {
    console.warn('relay: setCodecPreferences failed', error);
  }
}

export function createRelaySenders(pc: () => RTCPeerConnection | null) {
  let senders: Partial<Record<Source, RTCRtpTransceiver>> = {};
  /** The relay's last `layers` for our camera (null: not told yet, every layer on). */
  let cameraRids: string[] | null = null;

  return {
    /** Adds or refills the sendonly transceivers from the media store; true when the m-sections changed (a re-offer is due). */
    attach(): boolean {
      const conn = pc();
      if (!conn) return false;
      const cam = media.stream();
      const wanted: Record<Source, MediaStreamTrack | null> = {
        audio: cam?.getAudioTracks()[0] ?? null,
        camera: cam?.getVideoTracks()[0] ?? null,
        screen: media.screen()?.getVideoTracks()[0] ?? null,
      };
      let added = false;
      for (const source of ['audio', 'camera', 'screen'] as const) {
        const track = wanted[source];
        const existing = senders[source];
        if (existing) {
          if (existing.sender.track !== track) void existing.sender.replaceTrack(track).catch(() => undefined);
          continue;
        }
        if (!track) continue;
        const stream = source === 'screen' ? media.screen()! : cam!;
        const init: RTCRtpTransceiverInit = { direction: 'sendonly', streams: [stream] };
        if (source === 'camera') init.sendEncodings = simulcastLayers(track.getSettings().height ?? 180);
        const transceiver = conn.addTransceiver(track, init);
        keepCodec(transceiver, source === 'audio' ? 'audio' : 'video');
        senders[source] = transceiver;
        added = true;
      }
      return added;
    },
    /** Stops sending, keeping the transceivers (the connection stays warm). */
    empty(): void {
      for (const t of Object.values(senders)) void t?.sender.replaceTrack(null).catch(() => undefined);
    },
    /** Which m-section carries which of our videos, for the offer. */
    videoSources(): Array<{ mid: string; source: VideoSource }> {
      return (['camera', 'screen'] as const).flatMap((source) => {
        const mid = senders[source]?.mid;
        return mid ? [{ mid, source }] : [];
      });
    },
    /** The relay's `layers`: only these of the camera's simulcast layers encode. */
    setCameraLayers(rids: string[]): void {
      cameraRids = rids;
      const sender = senders.camera?.sender;
      if (sender) void sendOnlyLayers(sender, rids);
    },
    /** After an answer was applied: the relay's last choice of layers again. */
    answered(): void {
      if (cameraRids && senders.camera) void sendOnlyLayers(senders.camera.sender, cameraRids);
    },
    /** A new (or no) connection: no transceivers yet, and a new relay peer starts from every layer, as the browser does. */
    reset(): void {
      senders = {};
      cameraRids = null;
    },
  };
}
