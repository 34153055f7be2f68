/**
 * Restricting a werift peer to one SRTP profile, for tests and benchmarks that need the one browsers
 * use: werift between itself settles on AEAD_AES_128_GCM, Chromium 156 offers only
 * AES_CM_128_HMAC_SHA1_80 (measured: relay/sfu/testing/chromium-capture.json). werift has no option
 * for it; each DTLS transport keeps its list in an instance field that it reads when DTLS starts, so
 * this sets that field on every transport the connection has, after a description made them and
 * before ICE connects. On an offerer (the DTLS server, facing the relay) the list is what it picks from.
 */
import { ProtectionProfileAeadAes128Gcm, ProtectionProfileAes128CmHmacSha1_80 } from 'werift';
import type { RTCPeerConnection } from 'werift';
import type { ProfileName } from './reference.ts';

const PROFILES: Record<ProfileName, number> = { AEAD_AES_128_GCM: ProtectionProfileAeadAes128Gcm, AES128_CM_HMAC_SHA1_80: ProtectionProfileAes128CmHmacSha1_80 };

/** The profile `pc`'s first DTLS transport negotiated (RFC 5764 / RFC 7714 name), once DTLS is up. */
export function profileName(pc: RTCPeerConnection | undefined): string | undefined {
  const profile = (pc?.dtlsTransports[0]?.srtp as { config?: { profile?: number } } | undefined)?.config?.profile;
  return profile === ProtectionProfileAeadAes128Gcm ? 'AEAD_AES_128_GCM' : profile === ProtectionProfileAes128CmHmacSha1_80 ? 'AES_CM_128_HMAC_SHA1_80' : undefined;
}

/** Only `profile` on `pc`'s DTLS transports (none given: werift's own list stays). */
export function allowOnlyProfile(pc: RTCPeerConnection, profile: ProfileName | undefined): void {
  if (profile) for (const t of pc.dtlsTransports) (t as unknown as { srtpProfiles: number[] }).srtpProfiles = [PROFILES[profile]];
}
