/**
 * Is an offer from a session an ICE restart of the connection the relay already has with it, or a
 * brand-new RTCPeerConnection? Pure: reads the offerer's ICE credentials and DTLS fingerprint.
 *
 * - ICE restart (RFC 8839 §4.4.1.1.1, JSEP §5.2.1): the offerer's `a=ice-ufrag`/`a=ice-pwd` change, its
 *   DTLS certificate doesn't. The answerer keeps its peer (transceivers, DTLS session, SRTP keys) and
 *   only runs ICE again with fresh credentials of its own.
 * - New connection: the fingerprint changed. A browser generates a certificate per RTCPeerConnection,
 *   so a client that gave up and built a new one shows a new fingerprint. The relay's old peer can't
 *   serve it (its DTLS session belongs to the old one): it must make a new peer.
 *
 * Credentials and fingerprint may sit at session level or in each m-section; with BUNDLE every
 * m-section carries the same ones, so the first found is the connection's.
 */
export type OfferIdentity = { ufrag: string | undefined; pwd: string | undefined; fingerprint: string | undefined };

export type OfferKind = 'first' | 'same' | 'ice-restart' | 'new-connection';

export function offerIdentity(sdp: string): OfferIdentity {
  const attribute = (name: string) => new RegExp(`^a=${name}:(.+?)\\s*$`, 'm').exec(sdp)?.[1];
  return { ufrag: attribute('ice-ufrag'), pwd: attribute('ice-pwd'), fingerprint: attribute('fingerprint')?.toLowerCase() };
}

/** How `next` relates to the offer the peer last answered (`previous`; undefined: none yet). */
export function classifyOffer(previous: OfferIdentity | undefined, next: OfferIdentity): OfferKind {
  if (!previous) return 'first';
  if (previous.fingerprint !== next.fingerprint) return 'new-connection';
  if (previous.ufrag !== next.ufrag || previous.pwd !== next.pwd) return 'ice-restart';
  return 'same';
}
