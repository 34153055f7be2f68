/**
 * The tiles of the room view, derived from the session: self camera, self screen, and per remote
 * session a camera tile plus a screen tile while it shares. Tile objects are cached by key so that
 * <For> keeps their DOM (and their <video>) across updates. A remote tile's stream comes from the
 * media path (mesh or relay, see stores/mediaPath.ts). Tiles report their drawn size; the remote
 * ones shown on the current page (stores/pages.ts), in order, are the `view` the relay seats and
 * sizes our video slots by (`reportView`): the relay forwards no video of the other pages.
 */
import { createEffect, createMemo, createSignal, type Accessor } from 'solid-js';
import { tilePause, type PausedReason } from '../lib/pausedVideos.ts';
import { MAX_VIEW_TILES, type VideoSource } from '../lib/relaySlots.ts';
import { media } from './media.ts';
import type { RoomSession } from './session.ts';
import type { RemoteView } from './mesh.ts';

export type TileModel = {
  key: string;
  kind: 'camera' | 'screen';
  self: boolean;
  /** Heads every page of the grid: our own camera and every screen share (lib/paging.ts). */
  pinned: boolean;
  sessionId: string;
  participantId: Accessor<string>;
  name: Accessor<string>;
  stream: Accessor<MediaStream | null>;
  /** A stream the tile will likely show next (mid-switch), to start out of sight. */
  nextStream?: Accessor<MediaStream | null>;
  /** The stream carrying this participant's voice (speaking indicator). */
  speech: Accessor<MediaStream | null>;
  audioOn: Accessor<boolean>;
  videoOn: Accessor<boolean>;
  connected: Accessor<boolean>;
  /** Why the relay is not forwarding the video this tile shows (relay mode), else null. */
  paused: Accessor<PausedReason | null>;
  /** The tile's drawn size in CSS pixels, reported by the component. */
  reportSize(width: number, height: number): void;
  /** The last size reported (null before the tile was drawn). */
  drawn: Accessor<{ width: number; height: number } | null>;
  /** Peer connections that may carry this tile's video (for its connection-quality stats). */
  connections(): RTCPeerConnection[];
  /** The tile put a new stream on screen (mesh ↔ relay handover done: the old path may stop). */
  presented?(stream: MediaStream): void;
};

export function createTiles(session: RoomSession): Accessor<TileModel[]> {
  const cache = new Map<string, TileModel>();
  const users = session.doc.users;
  const self = session.self;
  const [sizes, setSizes] = createSignal(new Map<string, { width: number; height: number }>());
  const sizer = (key: string) => (width: number, height: number) => setSizes((m) => new Map(m).set(key, { width, height }));

  const selfCamera: TileModel = {
    key: 'self:camera',
    kind: 'camera',
    self: true,
    pinned: true,
    sessionId: self.sessionId,
    participantId: () => self.participantId,
    name: () => self.name,
    stream: media.stream,
    speech: media.stream,
    audioOn: () => media.hasAudio() && media.micOn(),
    videoOn: () => media.hasVideo() && media.cameraOn(),
    connected: () => true,
    paused: () => null,
    reportSize: () => undefined,
    drawn: () => null,
    connections: () => [],
  };
  const selfScreen: TileModel = { ...selfCamera, key: 'self:screen', kind: 'screen', stream: media.screen, videoOn: () => true };

  /** The relay's pause of a remote video, while the tile shows the relay's stream of it. */
  const relayPause = (sessionId: string, source: VideoSource, shown: Accessor<MediaStream | null>, videoOn: () => boolean) => () => {
    const stream = shown();
    const viaRelay = stream !== null && stream === session.relay.video(sessionId, source).stream;
    return tilePause(session.relay.paused(), sessionId, source, viaRelay && videoOn());
  };

  const remoteCamera = (r: RemoteView): TileModel => {
    const m = session.path.remoteMedia(r);
    return {
      key: `${r.sessionId}:camera`,
      kind: 'camera',
      self: false,
      pinned: false,
      sessionId: r.sessionId,
      participantId: r.participantId,
      name: () => r.name() || users().get(r.sessionId)?.name || '…',
      stream: m.camera,
      nextStream: m.nextCamera,
      speech: m.speech,
      audioOn: () => users().get(r.sessionId)?.audio ?? true,
      videoOn: () => (users().get(r.sessionId)?.video ?? true) && (m.camera()?.getVideoTracks().length ?? 0) > 0,
      connected: m.connected,
      // A camera turned off shows the avatar, paused or not.
      paused: relayPause(r.sessionId, 'camera', m.camera, () => users().get(r.sessionId)?.video ?? true),
      reportSize: sizer(`${r.sessionId}:camera`),
      drawn: () => sizes().get(`${r.sessionId}:camera`) ?? null,
      connections: session.peerConnections,
      presented: (stream) => session.path.presented(r.sessionId, stream),
    };
  };
  const remoteScreen = (r: RemoteView): TileModel => ({
    ...remoteCamera(r),
    key: `${r.sessionId}:screen`,
    kind: 'screen',
    pinned: true,
    stream: session.path.remoteMedia(r).screen,
    videoOn: () => true,
    paused: relayPause(r.sessionId, 'screen', session.path.remoteMedia(r).screen, () => true),
    reportSize: sizer(`${r.sessionId}:screen`),
    drawn: () => sizes().get(`${r.sessionId}:screen`) ?? null,
  });
  /** Mesh says so by sending the stream; on the relay a seat may outlive the share, so presence decides
   * (and the tile must exist before the seat: the relay seats only what the view shows). */
  const sharing = (r: RemoteView) => r.screen() !== null || (session.path.target() === 'relay' && !!users().get(r.sessionId)?.screen);

  const tiles = createMemo(() => {
    const list: TileModel[] = [];
    const use = (key: string, make: () => TileModel) => {
      let tile = cache.get(key);
      if (!tile) cache.set(key, (tile = make()));
      list.push(tile);
    };
    use(selfCamera.key, () => selfCamera);
    if (media.screen()) use(selfScreen.key, () => selfScreen);
    for (const r of session.remotes()) {
      use(`${r.sessionId}:camera`, () => remoteCamera(r));
      if (sharing(r)) use(`${r.sessionId}:screen`, () => remoteScreen(r));
    }
    const keys = new Set(list.map((t) => t.key));
    for (const key of [...cache.keys()]) if (!keys.has(key)) cache.delete(key);
    return list;
  });
  return tiles;
}

/** Tells the relay which remote tiles `shown` (the current page), in order, at their drawn sizes. */
export function reportView(session: RoomSession, shown: Accessor<TileModel[]>): void {
  createEffect(() => {
    const dpr = window.devicePixelRatio || 1;
    const videos = shown()
      .filter((t) => !t.self)
      .slice(0, MAX_VIEW_TILES)
      .map((t) => {
        const size = t.drawn() ?? { width: 320, height: 180 };
        return { sessionId: t.sessionId, source: t.kind, width: Math.round(size.width * dpr), height: Math.round(size.height * dpr) };
      });
    session.relay.setView(videos);
    session.path.setShown(new Set(videos.map((v) => v.sessionId)));
  });
}
