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
 * - ICE generations: a browser's candidates carry `generation N` (its count of ICE restarts) and
 *   `ufrag X` (RFC 8838 §4.1: the credentials they belong to). werift 0.24.4 nominates a pair only when
 *   the remote candidate's generation equals *its own* count of restarts, two counters that part as soon
 *   as one restart offer is lost or superseded (measured in relay-network.e2e.ts: Chromium at 2 after a
 *   second restart offer, the relay at 1, and the restarted checks never completed). The ufrag is what
 *   says which restart a candidate belongs to: one naming other credentials than the offer's is stale
 *   and dropped; the generation is removed before werift sees it. The relay's own candidates go out
 *   without one too (its count means nothing to the client, and a werift client has the same defect);
 *   they keep their ufrag, which is what browsers go by when there is one.
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

/**
 * A browser's candidate as werift should have it: without `generation`; undefined (dropped) when it is
 * mDNS, or when its `ufrag` names other ICE credentials than `ufrag`, those of the offer it follows.
 */
export function remoteCandidate(candidate: string, ufrag: string | undefined): string | undefined {
  if (isMdnsCandidate(candidate)) return undefined;
  const { line, ufrag: own } = withoutGeneration(candidate);
  return own !== undefined && ufrag !== undefined && own !== ufrag ? undefined : line;
}

/** The candidate without its `generation` attribute, and the value of its `ufrag` attribute. */
function withoutGeneration(candidate: string): { line: string; ufrag?: string } {
  const fields = candidate.trim().split(/\s+/);
  const typ = fields.indexOf('typ');
  if (typ < 0) return { line: candidate };
  // After `typ <type>`, name-value pairs (raddr, rport, tcptype, generation, ufrag, network-id…).
  const kept = fields.slice(0, typ + 2);
  let ufrag: string | undefined;
  for (let i = typ + 2; i < fields.length; i += 2) {
    const [name, value] = [fields[i]!, fields[i + 1]];
    if (name === 'ufrag') ufrag = value;
    if (name !== 'generation') kept.push(name, ...(value === undefined ? [] : [value]));
  }
  return { line: kept.join(' '), ufrag };
}

/** A browser's offer with each `a=candidate:` line as `remoteCandidate` has it, against the offer's ufrag. */
export function remoteSdp(sdp: string): string {
  // A session-level ufrag holds for every m-section that has none of its own.
  let session: string | undefined;
  let ufrag: string | undefined;
  let inMedia = false;
  return mapLines(sdp, (line) => {
    if (line.startsWith('m=')) [inMedia, ufrag] = [true, session];
    if (line.startsWith('a=ice-ufrag:')) {
      ufrag = line.slice('a=ice-ufrag:'.length).trim();
      if (!inMedia) session = ufrag;
    }
    return line.startsWith('a=candidate:') ? remoteCandidate(line, ufrag) : line;
  });
}

/** The relay's candidate as sent: without `generation`; a host one of `announcedIp`'s family with that address. */
export function announceCandidate(candidate: string, announcedIp: string | undefined): string {
  candidate = withoutGeneration(candidate).line;
  if (!announcedIp) return candidate;
  const parsed = parseCandidate(candidate);
  if (!parsed || parsed.type !== 'host' || !sameFamily(parsed.address, announcedIp)) return candidate;
  const fields = candidate.split(' ');
  // <foundation-with-prefix> <component> <transport> <priority> <address> …: the address is field 4.
  fields[4] = announcedIp;
  return fields.join(' ');
}

/** The relay's SDP as sent: candidates as `announceCandidate` has them; `c=` lines with `announcedIp`, duplicates dropped. */
export function announceSdp(sdp: string, announcedIp: string | undefined): string {
  if (!announcedIp) return mapLines(sdp, (line) => (line.startsWith('a=candidate:') ? announceCandidate(line, undefined) : line));
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
