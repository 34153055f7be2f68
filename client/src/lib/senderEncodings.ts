/**
 * Changing a sender's encodings (RTCRtpSender.setParameters) the one way: read the parameters, let
 * `edit` change the encodings in place and say whether it changed anything, write them back only
 * then. Resolves false when the browser refused the change, true otherwise (nothing to do included).
 */
export type EncodingSender = Pick<RTCRtpSender, 'getParameters' | 'setParameters'>;

export async function editEncodings(sender: EncodingSender, edit: (encodings: RTCRtpEncodingParameters[]) => boolean): Promise<boolean> {
  const params = sender.getParameters();
  if (params.encodings.length === 0 || !edit(params.encodings)) return true;
  try {
    await sender.setParameters(params);
    return true;
  } catch {
    return false;
  }
}
