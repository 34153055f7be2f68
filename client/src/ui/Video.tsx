import { createEffect, createSignal, onCleanup } from 'solid-js';
import { playStream } from './playStream.ts';

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
 * Mid-switch the owner also names the likely `next` stream: it starts in the hidden element ahead of
 * time, so when it becomes the stream the swap is only a change of which element is in front (measured:
 * the longest gap of a mesh → relay switch went from 0.56–1.37 s to 0.43–1.12 s over 10–15 runs, as
 * no <video> has to start its player at the moment every tile swaps). The front element carries
 * `data-front`; `onPresent` says when a new stream took over (the old path may stop sending then, not
 * before).
 */
export function Video(props: {
  stream: MediaStream | null;
  /** A stream likely to come next: played muted in the hidden element ahead of time. */
  next?: MediaStream | null;
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
  /** The hidden element presented a frame of what was preloaded into it. */
  let preloadedFrame = false;

  /** The hidden element, playing `stream`, comes to the front; the old one lets go. */
  const bringBackToFront = (shown: HTMLVideoElement, back: HTMLVideoElement, stream: MediaStream) => {
    back.muted = props.muted;
    shown.muted = true;
    preloadedFrame = false;
    setFront(1 - front());
    shown.srcObject = null;
    props.onPresent?.(stream);
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
      if (back.srcObject !== (props.next ?? null)) back.srcObject = null; // keep a preload
      return;
    }
    if (back.srcObject === stream && handover) return; // already on its way
    handover?.cancel();
    // Preloaded and already presenting: the swap is a change of which element is in front.
    if (stream && back.srcObject === stream && preloadedFrame) {
      handover = null;
      bringBackToFront(shown, back, stream);
      return;
    }
    // Nothing to keep showing, or nothing to show: switch at once.
    if (!shown.srcObject || !stream || !('requestVideoFrameCallback' in back)) {
      back.srcObject = null;
      playStream(shown, stream);
      if (stream) props.onPresent?.(stream);
      return;
    }
    playStream(back, stream);
    let done = false;
    const finish = () => {
      if (done) return;
      done = true;
      handover = null;
      clearTimeout(timer);
      bringBackToFront(shown, back, stream);
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

  // Preload: the likely next stream plays in the hidden element before it is needed.
  createEffect(() => {
    const next = props.next ?? null;
    const back = elements[1 - front()]!;
    if (!next || handover || next === props.stream || back.srcObject === next) return;
    preloadedFrame = false;
    back.muted = true;
    playStream(back, next);
    if ('requestVideoFrameCallback' in back) back.requestVideoFrameCallback(() => void (back.srcObject === next && (preloadedFrame = true)));
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
