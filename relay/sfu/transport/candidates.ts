/**
 * ICE candidate rewriting between the relay's werift peers and the browsers.
 *
 * A candidate attribute (RFC 8839 §5.1) reads
 *   candidate:<foundation> <component> <transport> <priority> <address> <port> typ <type> [raddr … rport …] …
 * and appears both trickled (`relay-candidate`) and as `a=candidate:` lines in an SDP.
 *
 * - mDNS: browsers hide their host address behind a random `<uuid>.local` name. werift 0.24.4 tries to
 *   resolve such names itself, by multicast DNS queries with a 10 s timeout per candidate; a relay is
 *   never on the browser's LAN, so every lookup fails, after holding a multicast socket open. We drop
 *   them instead: the browser still reaches the relay, and the relay learns the browser's address as a
 *   peer-reflexive candidate from the browser's first connectivity check.
 * - Announced IP: werift has no "announced address" option (mediasoup's announcedIp). Behind a 1:1 NAT
 *   (a cloud VM) the relay gathers its private address, which browsers cannot reach. We rewrite the
 *   address of the relay's host candidates of the announced address's family, in the answer and in
 *   trickled candidates, to the announced one; the port stays, so the NAT must keep ports (1:1 NAT, or
 *   forward the configured UDP port range). Two local interfaces give two candidates with the announced
 *   address and different ports: duplicates are dropped, the unreachable one merely fails its checks.
 */
import { isIPv4, isIPv6 } from 'node:net';

export type ParsedCandidate = { address: string; port: number; type: string; transport: string };

/** Parses `candidate:…` (with or without the `a=` prefix). Undefined when malformed. */
export function parseCandidate(candidate: string): ParsedCandidate | undefined {
  const body = candidate.replace(/^a=/, '');
  if (!body.startsWith('candidate:')) return undefined;
  const f = body.slice('candidate:'.length).trim().split(/\s+/);
  const [, , transport, , address, port, typ, type] = f;
  if (!transport || !address || !port || typ !== 'typ' || !type) return undefined;
  const portNumber = Number(port);
  if (!Number.isInteger(portNumber) || portNumber < 0 || portNumber > 65535) return undefined;
  return { address, port: portNumber, type, transport: transport.toLowerCase() };
}

export function isMdnsCandidate(candidate: string): boolean {
  return parseCandidate(candidate)?.address.toLowerCase().endsWith('.local') ?? false;
}

/** Removes the `a=candidate:` lines with `.local` addresses from a remote SDP. */
export function stripMdnsCandidates(sdp: string): string {
  return mapLines(sdp, (line) => (line.startsWith('a=candidate:') && isMdnsCandidate(line) ? undefined : line));
}

/** The host candidate with its address replaced by `announcedIp` (same family), else unchanged. */
export function announceCandidate(candidate: string, announcedIp: string | undefined): string {
  if (!announcedIp) return candidate;
  const parsed = parseCandidate(candidate);
  if (!parsed || parsed.type !== 'host' || !sameFamily(parsed.address, announcedIp)) return candidate;
  const fields = candidate.split(' ');
  // <foundation-with-prefix> <component> <transport> <priority> <address> …: the address is field 4.
  fields[4] = announcedIp;
  return fields.join(' ');
}

/** Rewrites the host candidates and `c=` lines of a local SDP to `announcedIp`, dropping duplicates. */
export function announceSdp(sdp: string, announcedIp: string | undefined): string {
  if (!announcedIp) return sdp;
  const seen = new Set<string>();
  const family = isIPv6(announcedIp) ? 'IP6' : 'IP4';
  return mapLines(sdp, (line) => {
    if (line.startsWith('m=')) seen.clear();
    if (line.startsWith('c=IN ')) {
      const [, kind, address] = line.split(' ');
      return kind === family && address && address !== '0.0.0.0' && address !== '::' ? `c=IN ${family} ${announcedIp}` : line;
    }
    if (!line.startsWith('a=candidate:')) return line;
    const rewritten = announceCandidate(line, announcedIp);
    const parsed = parseCandidate(rewritten);
    const key = parsed ? `${parsed.transport} ${parsed.address} ${parsed.port} ${parsed.type}` : rewritten;
    if (seen.has(key)) return undefined;
    seen.add(key);
    return rewritten;
  });
}

function sameFamily(a: string, b: string): boolean {
  return (isIPv4(a) && isIPv4(b)) || (isIPv6(a) && isIPv6(b));
}

function mapLines(sdp: string, f: (line: string) => string | undefined): string {
  const eol = sdp.includes('\r\n') ? '\r\n' : '\n';
  const out: string[] = [];
  for (const line of sdp.split(/\r?\n/)) {
    const mapped = line === '' ? line : f(line);
    if (mapped !== undefined) out.push(mapped);
  }
  return out.join(eol);
}
