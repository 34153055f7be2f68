/**
 * Binds a MediaStream to an <audio> or <video> element and starts it. Setting `srcObject` again to
 * the same stream would restart the element's player, so it is set only when it changes. `play()` may
 * wait for a user gesture (autoplay policy); the `autoplay` attribute retries then.
 */
export function playStream(element: HTMLMediaElement, stream: MediaStream | null): void {
  if (element.srcObject !== stream) element.srcObject = stream;
  if (stream) element.play().catch(() => undefined);
}
