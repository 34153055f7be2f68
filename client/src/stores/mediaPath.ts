/**
 * The room's media path on this client: follows the relay's `mode {path, warm, phase, epoch}` and runs
 * make-before-break switches between the mesh (stores/mesh.ts) and the relay (stores/relayLink.ts).
 *
 *   warm                  open the relay connection: slots, no media (ICE + DTLS only)
 *   relay, switching      stop building mesh links, publish to the relay; each remote tile swaps to its
 *                         relay stream once that decodes; once the tile has it on screen (`presented`),
 *                         its sender is asked to stop encoding video for our mesh link (one copy of each
 *                         video, not two); then ack the epoch
 *   mesh, switching       build mesh links (smaller session id offers); tiles swap back as mesh streams
 *                         decode; then ack
 *   settled               everyone acked (or the relay's switch timeout passed): close the old path —
 *                         the mesh links, or our relay publications (the connection stays while warm)
 *   not warm, mesh        close the relay connection
 *
 * We ack after SWITCH_TIMEOUT_MS whatever the tiles show. The old path is closed on `settled`, not on
 * our ack: until everyone has swapped, the others may still be showing what we send on it. Mode messages of an older
 * epoch are ignored. Chat, hands and reactions live in the Yjs document and never notice a switch.
 */
import { createEffect, createSignal, onCleanup, type Accessor } from 'solid-js';
import type { ModeMessage } from '../../../relay/signal/protocol.ts';
import { isNewerMode, shownPath, switchDone, type MediaPath, type ModeState } from '../lib/pathSwitch.ts';
import { videoSlotCount } from '../lib/relaySlots.ts';
import type { Mesh, RemoteView } from './mesh.ts';
import type { RelayLink } from './relayLink.ts';

export const SWITCH_TIMEOUT_MS = 5000;

export type RemoteMedia = {
  camera: Accessor<MediaStream | null>;
  /** While a switch is under way and the tile still shows the old path: the target path's stream, to
   * start playing out of sight so the swap is instant (ui/Video.tsx preloads it). */
  nextCamera: Accessor<MediaStream | null>;
  screen: Accessor<MediaStream | null>;
  /** The stream with this remote's voice (for the speaking indicator). */
  speech: Accessor<MediaStream | null>;
  /** Which path the camera tile shows. */
  cameraPath: Accessor<MediaPath | null>;
  connected: Accessor<boolean>;
};

export type MediaPathOptions = {
  mesh: Mesh;
  relay: RelayLink;
  ack(epoch: number): void;
  /** Remote sessions sharing a screen (from presence), for the spare video slot. */
  screenShares: Accessor<number>;
};

export function createMediaPath(options: MediaPathOptions) {
  const { mesh, relay } = options;
  const [mode, setMode] = createSignal<ModeState | null>(null);
  const [pendingEpoch, setPendingEpoch] = createSignal<number | null>(null);
  const [swapped, setSwapped] = createSignal<ReadonlySet<string>>(new Set());
  /** Remote sessions whose tiles are on the current page (null: all of them). */
  const [shownIds, setShownIds] = createSignal<ReadonlySet<string> | null>(null);
  let timer: ReturnType<typeof setTimeout> | undefined;
  const target = (): MediaPath => mode()?.path ?? 'mesh';

  const cameraPath = (r: RemoteView): MediaPath | null => {
    const viaRelay = relay.video(r.sessionId, 'camera');
    const media = { mesh: { has: r.camera() !== null, decoding: r.cameraDecoding() }, relay: { has: viaRelay.stream !== null, decoding: viaRelay.decoding } };
    if (pendingEpoch() !== null) {
      // Once swapped, a tile stays on the target path for this switch: swapping back and forth on a
      // short stall costs a first-frame delay each time.
      if (swapped().has(r.sessionId) && media[target()].has) return target();
      return shownPath(target(), media);
    }
    // Settled: the target path only (the other one is closed or idle), unless it has nothing yet.
    const t = target();
    return media[t].has ? t : media[t === 'mesh' ? 'relay' : 'mesh'].has ? (t === 'mesh' ? 'relay' : 'mesh') : null;
  };

  const cache = new Map<string, RemoteMedia>();
  const remoteMedia = (r: RemoteView): RemoteMedia => {
    let m = cache.get(r.sessionId);
    if (m) return m;
    const path = () => cameraPath(r);
    const cameraVia = (p: MediaPath | null) => (p === 'relay' ? relay.video(r.sessionId, 'camera').stream : p === 'mesh' ? r.camera() : null);
    m = {
      cameraPath: path,
      camera: () => cameraVia(path()),
      nextCamera: () => (pendingEpoch() !== null && path() !== target() ? cameraVia(target()) : null),
      screen: () => (target() === 'relay' ? relay.video(r.sessionId, 'screen').stream ?? r.screen() : r.screen() ?? relay.video(r.sessionId, 'screen').stream),
      speech: () => (path() === 'relay' ? relay.audio(r.sessionId) : r.camera()),
      connected: () => r.connected() || relay.video(r.sessionId, 'camera').stream !== null,
    };
    cache.set(r.sessionId, m);
    return m;
  };

  const wantedSlots = () => videoSlotCount(mesh.remotes().length, options.screenShares());

  /** Closes the path the room left. Safe to repeat. */
  const closeOld = () => {
    mesh.watchDecoding(false);
    void relay.watchDecoding(false);
    if (target() === 'relay') mesh.closeLinks();
    else relay.unpublish();
  };

  /** Our tiles all show the target path: ack. The old path keeps sending until the room settles, since
   * the others may still show it (closing it on our ack would freeze our tile on their screens). */
  const done = () => {
    clearTimeout(timer);
    const epoch = pendingEpoch();
    setPendingEpoch(null);
    mesh.watchDecoding(false);
    void relay.watchDecoding(false);
    if (epoch !== null) options.ack(epoch);
  };

  const apply = (message: ModeMessage) => {
    const next: ModeState = { path: message.path, warm: message.warm, phase: message.phase, epoch: message.epoch };
    const previous = mode();
    if (!isNewerMode(previous, next)) return;
    console.info(`media path: ${previous ? `${previous.path}/${previous.phase}#${previous.epoch}` : 'start'} -> ${next.path}/${next.phase}#${next.epoch}${next.warm ? ' (warm)' : ''}`);
    setMode(next);
    mesh.setLinking(next.path === 'mesh');
    if (next.warm || next.path === 'relay') relay.open(wantedSlots());
    if (next.path === 'relay') relay.publish();
    if (next.phase === 'switching') {
      clearTimeout(timer);
      setSwapped(new Set<string>());
      setPendingEpoch(next.epoch);
      if (next.path === 'relay') void relay.watchDecoding(true);
      else mesh.watchDecoding(true);
      timer = setTimeout(done, SWITCH_TIMEOUT_MS);
    } else {
      clearTimeout(timer);
      setPendingEpoch(null);
      closeOld();
    }
    if (!next.warm && next.path === 'mesh') relay.close();
  };

  // Every tile on screen shows the target path: the switch is done on this side. Tiles on other pages
  // of the grid get no relay seat (the view lists the current page only), so they don't count.
  createEffect(() => {
    if (pendingEpoch() === null) return;
    const onScreen = shownIds();
    const shown = mesh.remotes().filter((r) => !onScreen || onScreen.has(r.sessionId)).map((r) => [r.sessionId, remoteMedia(r).cameraPath()] as const);
    const onTarget = shown.filter(([id, p]) => p === target() && !swapped().has(id)).map(([id]) => id);
    if (onTarget.length > 0) setSwapped((s) => new Set([...s, ...onTarget]));
    if (switchDone(target(), shown.map(([, p]) => p))) done();
  });

  // More people, more video slots (never fewer: a slot's mid is kept for the relay's seating).
  createEffect(() => {
    const n = wantedSlots();
    const m = mode();
    if (m && (m.warm || m.path === 'relay')) relay.open(n);
  });

  // Relay audio plays for a speaker only while its tile shows the relay (mesh audio rides the tile's stream).
  const relayAudio = () =>
    relay.audioSlots().map((slot) => {
      const r = slot.sessionId ? mesh.remotes().find((x) => x.sessionId === slot.sessionId) : undefined;
      return { mid: slot.mid, stream: slot.stream, play: slot.sessionId !== null && (!r || remoteMedia(r).cameraPath() !== 'mesh') };
    });

  /** A tile shows a remote's camera from `stream` now. Once that is the relay's, the mesh copy of that
   * video is dead weight: its sender stops encoding it for us (not before: the tile showed it until now). */
  const presented = (sessionId: string, stream: MediaStream) => {
    if (target() === 'relay' && relay.video(sessionId, 'camera').stream === stream) mesh.releaseCamera(sessionId);
  };

  onCleanup(() => clearTimeout(timer));

  return { mode, target, pendingEpoch, apply, remoteMedia, relayAudio, presented, setShown: (ids: ReadonlySet<string>) => setShownIds(ids) };
}

export type MediaPathStore = ReturnType<typeof createMediaPath>;
