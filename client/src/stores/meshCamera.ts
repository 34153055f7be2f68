/**
 * Our camera's encoding on each mesh link (the media store's video track, one RTCRtpSender per link).
 *
 * - `tune(pcs)`: the encoding shrinks as links grow (lib/videoQuality.ts); run on connect and every
 *   tick, it touches a sender only when its encoding should change (MeshEncodings). `forget(pc)` after
 *   a (re)negotiation, which may hand the senders new parameters: tuned again at the next tick.
 * - `setWanted(pc, wanted)`: the remote does (not) want our camera video on this link (it shows it from
 *   the relay): the encoding goes (in)active.
 */
import { setSenderActive } from '../lib/linkMessages.ts';
import { MeshEncodings, meshEncoding } from '../lib/videoQuality.ts';
import { media } from './media.ts';

export function createMeshCamera() {
  const encodings = new MeshEncodings();
  const sender = (pc: RTCPeerConnection, track: MediaStreamTrack) => pc.getSenders().find((s) => s.track === track);
  return {
    tune(pcs: RTCPeerConnection[]): void {
      const track = media.stream()?.getVideoTracks()[0];
      if (!track || pcs.length === 0) return;
      const encoding = meshEncoding(track.getSettings().height ?? 0, pcs.length);
      for (const pc of pcs) {
        const s = sender(pc, track);
        if (s) void encodings.apply(s, encoding);
      }
    },
    forget(pc: RTCPeerConnection): void {
      for (const s of pc.getSenders()) encodings.forget(s);
    },
    async setWanted(pc: RTCPeerConnection, wanted: boolean): Promise<void> {
      const track = media.stream()?.getVideoTracks()[0];
      const s = track ? sender(pc, track) : undefined;
      if (s && !(await setSenderActive(s, wanted))) console.warn('mesh: could not change the camera encoding of a link');
    },
  };
}
