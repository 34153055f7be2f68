/**
 * The relay's answer edits (opus-dtx.ts, transport-cc.ts) touch only the m-sections the relay
 * receives: those it answers `a=recvonly` (the client's microphone, camera, screen), never its
 * subscribers' receive slots. Pure text in, text out, in the answer's own line ending.
 */

/** The SDP with `edit` applied to each `recvonly` m-section; the session part and the others as they are. */
export function editReceivedSections(sdp: string, edit: (section: string, eol: string) => string): string {
  const eol = sdp.includes('\r\n') ? '\r\n' : '\n';
  return sdp
    .split(/(?=^m=)/m)
    .map((section) => (section.startsWith('m=') && /^a=recvonly\s*$/m.test(section) ? edit(section, eol) : section))
    .join('');
}
