import { createEffect, onCleanup } from 'solid-js';

/**
 * A <video> bound to a MediaStream. `version` lets the owner force a re-attach when tracks of the same
 * stream object were swapped. Self-views are muted (no echo) and mirrored by CSS.
 */
export function Video(props: { stream: MediaStream | null; muted: boolean; mirrored?: boolean; fit?: 'cover' | 'contain'; label?: string }) {
  let element!: HTMLVideoElement;
  createEffect(() => {
    const stream = props.stream;
    element.muted = props.muted; // the IDL property: the `muted` attribute only sets the default
    if (element.srcObject !== stream) element.srcObject = stream;
    if (stream) element.play().catch(() => undefined); // autoplay may wait for a gesture; autoplay attr retries
  });
  onCleanup(() => {
    element.srcObject = null;
  });
  return (
    <video
      ref={element}
      class="video"
      classList={{ mirrored: !!props.mirrored, contain: props.fit === 'contain' }}
      autoplay
      playsinline
      aria-label={props.label}
    />
  );
}
