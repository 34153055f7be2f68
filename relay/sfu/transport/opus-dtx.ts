/**
 * Asks the browser to send its microphone with Opus DTX: `usedtx=1` on the Opus format of every audio
 * m-section the relay receives (RFC 7587 §6.1: the receiver's preference, which the sender follows).
 * In silence a DTX encoder sends a packet every 400 ms instead of 50/s; in a meeting of 150 where a
 * few talk and the rest are muted or quiet, that is most of the relay's audio ingress.
 *
 * werift answers with the offer's format parameters, not its own codec's, so the relay edits its
 * answer: pure text in, text out. Other m-sections (what the relay sends: a subscriber's receive
 * slots) are left as they are.
 */

/** The answer with `usedtx=1` on the Opus format of each `recvonly` audio m-section. */
export function withOpusDtx(sdp: string): string {
  const eol = sdp.includes('\r\n') ? '\r\n' : '\n';
  const sections = sdp.split(/(?=^m=)/m);
  return sections.map((section) => (section.startsWith('m=audio') && /^a=recvonly\s*$/m.test(section) ? dtxSection(section, eol) : section)).join('');
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
