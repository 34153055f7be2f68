/**
 * What the relay asks of the microphones it receives, in its answer: Opus DTX, and in large rooms a
 * longer frame.
 *
 * DTX: `usedtx=1` on the Opus format of every audio
 * m-section the relay receives (RFC 7587 §6.1: the receiver's preference, which the sender follows).
 * In silence a DTX encoder sends a packet every 400 ms instead of 50/s; in a meeting of 150 where a
 * few talk and the rest are muted or quiet, that is most of the relay's audio ingress.
 *
 * werift answers with the offer's format parameters, not its own codec's, so the relay edits its
 * answer: pure text in, text out. Other m-sections (what the relay sends: a subscriber's receive
 * slots) are left as they are.
 *
 * Frame length (`a=ptime`, RFC 4566 §6): libwebrtc's Opus encoder takes the remote description's ptime
 * as its frame length (10–120 ms). At 60 ms a talker sends 16.7 packets/s instead of 50 (measured in
 * Chromium: 17.0), so every listener's copy costs the relay a third of the packets, for 40 ms more
 * delay: in a room of 150 the relay's audio deliveries are what fill its core (three talkers, 22,400
 * packets/s). negotiation.ts decides when.
 */
import { editReceivedSections } from './received-sections.ts';

/** Opus's frame length when the answer says nothing (and browsers' default). */
export const DEFAULT_AUDIO_FRAME_MS = 20;

/**
 * The answer with `usedtx=1` on the Opus format of each `recvonly` audio m-section, and `a=ptime` when
 * `frameMs` is not the default.
 */
export function withOpusDtx(sdp: string, frameMs = DEFAULT_AUDIO_FRAME_MS): string {
  return editReceivedSections(sdp, (section, eol) => {
    if (!section.startsWith('m=audio')) return section;
    const dtx = dtxSection(section, eol);
    return frameMs === DEFAULT_AUDIO_FRAME_MS ? dtx : withPtime(dtx, frameMs, eol);
  });
}

/** `a=ptime:<ms>` in place of any there, or after the section's last line. */
function withPtime(section: string, ms: number, eol: string): string {
  if (/^a=ptime:/m.test(section)) return section.replace(/^a=ptime:[^\r\n]*/m, `a=ptime:${ms}`);
  return section.endsWith(eol) ? `${section}a=ptime:${ms}${eol}` : `${section}${eol}a=ptime:${ms}${eol}`;
}

function dtxSection(section: string, eol: string): string {
  const pts = [...section.matchAll(/^a=rtpmap:(\d+) opus\/48000/gim)].map((m) => m[1]!);
  let out = section;
  for (const pt of pts) {
    const fmtp = new RegExp(`^a=fmtp:${pt} ([^\\r\\n]*)`, 'm');
    const found = fmtp.exec(out);
    if (!found) {
      out = out.replace(new RegExp(`^(a=rtpmap:${pt} [^\\r\\n]*)`, 'im'), `$1${eol}a=fmtp:${pt} usedtx=1`);
      continue;
    }
    const params = found[1]!.split(';').filter((p) => p.trim() !== '' && !/^usedtx=/i.test(p.trim()));
    out = out.replace(fmtp, `a=fmtp:${pt} ${[...params, 'usedtx=1'].join(';')}`);
  }
  return out;
}
