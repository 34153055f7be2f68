import { createEffect, createSignal, onCleanup } from 'solid-js';

/** How long a new stream may take to show its first frame before it replaces the old one anyway. */
const HANDOVER_TIMEOUT_MS = 1500;

/**
 * A <video> bound to a MediaStream. Self-views are muted (no echo) and mirrored by CSS.
 *
 * Switching streams is make-before-break down to the pixels: a <video> given a new srcObject shows
 * nothing until its player has started and presented a frame (measured: 0.3–0.7 s on a loaded
 * machine, after the stream itself was already decoding). So two elements take turns: the new stream
 * plays muted in the hidden one, and it comes to the front once it presented a frame
 * (requestVideoFrameCallback), or after HANDOVER_TIMEOUT_MS; only then does the old one let go. That
 * is what a mesh ↔ relay switch looks like on screen: no black frame, no freeze beyond the path's own.
 * The front element carries `data-front`; `onPresent` says when a new stream took over (the old path
 * may stop sending then, not before).
 */
export function Video(props: {
  stream: MediaStream | null;
  muted: boolean;
  mirrored?: boolean;
  fit?: 'cover' | 'contain';
  label?: string;
  /** A new stream is on screen (its first frame presented, or the handover timed out). */
  onPresent?: (stream: MediaStream) => void;
}) {
  const elements: HTMLVideoElement[] = [];
  const [front, setFront] = createSignal(0);
  let handover: { cancel(): void } | null = null;

  const attach = (element: HTMLVideoElement, stream: MediaStream | null) => {
    if (element.srcObject !== stream) element.srcObject = stream;
    if (stream) element.play().catch(() => undefined); // autoplay may wait for a gesture; autoplay attr retries
  };

  createEffect(() => {
    const stream = props.stream;
    const muted = props.muted; // the IDL property: the `muted` attribute only sets the default
    const shown = elements[front()]!;
    const back = elements[1 - front()]!;
    shown.muted = muted;
    back.muted = true;
    if (shown.srcObject === stream) {
      handover?.cancel();
      handover = null;
      back.srcObject = null;
      return;
    }
    if (back.srcObject === stream && handover) return; // already on its way
    handover?.cancel();
    // Nothing to keep showing, or nothing to show: switch at once.
    if (!shown.srcObject || !stream || !('requestVideoFrameCallback' in back)) {
      back.srcObject = null;
      attach(shown, stream);
      if (stream) props.onPresent?.(stream);
      return;
    }
    attach(back, stream);
    let done = false;
    const finish = () => {
      if (done) return;
      done = true;
      handover = null;
      clearTimeout(timer);
      back.muted = props.muted;
      shown.muted = true;
      setFront(1 - front());
      shown.srcObject = null;
      props.onPresent?.(stream);
    };
    const frame = back.requestVideoFrameCallback(finish);
    const timer = setTimeout(finish, HANDOVER_TIMEOUT_MS);
    handover = {
      cancel() {
        done = true;
        clearTimeout(timer);
        back.cancelVideoFrameCallback(frame);
      },
    };
  });

  onCleanup(() => {
    handover?.cancel();
    for (const element of elements) element.srcObject = null;
  });

  const video = (index: number) => (
    <video
      ref={(el) => (elements[index] = el)}
      class="video"
      classList={{ mirrored: !!props.mirrored, contain: props.fit === 'contain', back: front() !== index }}
      data-front={front() === index ? 'true' : 'false'}
      autoplay
      playsinline
      muted
      aria-hidden={front() !== index ? 'true' : undefined}
      aria-label={front() === index ? props.label : undefined}
    />
  );
  return (
    <>
      {video(0)}
      {video(1)}
    </>
  );
}
