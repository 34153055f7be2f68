/**
 * The tiles of the room view, derived from the session: self camera, self screen, and per remote
 * session a camera tile plus a screen tile while it shares. Tile objects are cached by key so that
 * <For> keeps their DOM (and their <video>) across updates.
 */
import { createMemo, type Accessor } from 'solid-js';
import { media } from './media.ts';
import type { RoomSession } from './session.ts';
import type { RemoteView } from './mesh.ts';

export type TileModel = {
  key: string;
  kind: 'camera' | 'screen';
  self: boolean;
  sessionId: string;
  participantId: Accessor<string>;
  name: Accessor<string>;
  stream: Accessor<MediaStream | null>;
  audioOn: Accessor<boolean>;
  videoOn: Accessor<boolean>;
  connected: Accessor<boolean>;
};

export function createTiles(session: RoomSession): Accessor<TileModel[]> {
  const cache = new Map<string, TileModel>();
  const users = session.doc.users;
  const self = session.self;

  const selfCamera: TileModel = {
    key: 'self:camera',
    kind: 'camera',
    self: true,
    sessionId: self.sessionId,
    participantId: () => self.participantId,
    name: () => self.name,
    stream: media.stream,
    audioOn: () => media.hasAudio() && media.micOn(),
    videoOn: () => media.hasVideo() && media.cameraOn(),
    connected: () => true,
  };
  const selfScreen: TileModel = { ...selfCamera, key: 'self:screen', kind: 'screen', stream: media.screen, videoOn: () => true };

  const remoteCamera = (r: RemoteView): TileModel => ({
    key: `${r.sessionId}:camera`,
    kind: 'camera',
    self: false,
    sessionId: r.sessionId,
    participantId: r.participantId,
    name: () => r.name() || users().get(r.sessionId)?.name || '…',
    stream: r.camera,
    audioOn: () => users().get(r.sessionId)?.audio ?? true,
    videoOn: () => (users().get(r.sessionId)?.video ?? true) && (r.camera()?.getVideoTracks().length ?? 0) > 0,
    connected: r.connected,
  });
  const remoteScreen = (r: RemoteView): TileModel => ({ ...remoteCamera(r), key: `${r.sessionId}:screen`, kind: 'screen', stream: r.screen, videoOn: () => true });

  return createMemo(() => {
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
      if (r.screen()) use(`${r.sessionId}:screen`, () => remoteScreen(r));
    }
    const keys = new Set(list.map((t) => t.key));
    for (const key of [...cache.keys()]) if (!keys.has(key)) cache.delete(key);
    return list;
  });
}
