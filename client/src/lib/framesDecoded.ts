/**
 * How many frames a connection decoded for one incoming video track (`inbound-rtp` framesDecoded,
 * the highest across its streams); null when the stats could not be read (the connection closed).
 */
export async function framesDecoded(pc: RTCPeerConnection, trackId: string): Promise<number | null> {
  let frames = 0;
  try {
    (await pc.getStats()).forEach((r: { type: string; kind?: string; trackIdentifier?: string; framesDecoded?: number }) => {
      if (r.type === 'inbound-rtp' && r.kind === 'video' && r.trackIdentifier === trackId) frames = Math.max(frames, r.framesDecoded ?? 0);
    });
  } catch {
    return null;
  }
  return frames;
}
