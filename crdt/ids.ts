/**
 * Ids for document entries (chat messages, reactions): 16 random bytes, base64url without padding
 * (22 characters). Made by the writer, so two peers never need to agree on a counter.
 */
export function newId(): string {
  const bytes = crypto.getRandomValues(new Uint8Array(16));
  let binary = '';
  for (const byte of bytes) binary += String.fromCharCode(byte);
  return btoa(binary).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
}
