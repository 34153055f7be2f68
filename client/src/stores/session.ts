/**
 * One joined room session: the signalling socket, the mesh and the room document, wired together and
 * released together. Create it inside a component (it registers `onCleanup`).
 *
 * The session id is made once per page load: a reconnecting socket keeps it (same session, peer links
 * kept), a reloaded page gets a new one and the relay replaces the old session of this participant.
 */
import { createEffect, createMemo, createSignal, onCleanup } from 'solid-js';
import type { PeerInfo, ServerMessage } from '../../../relay/signal/protocol.ts';
import type { CachedJoin } from '../lib/joinCache.ts';
import { createMediaPath } from './mediaPath.ts';
import { createMesh } from './mesh.ts';
import { createRelayLink } from './relayLink.ts';
import { createRoomDoc } from './roomDoc.ts';
import { createSignalling, signallingUrl } from './signalling.ts';
import { media } from './media.ts';

function randomSessionId(): string {
  const bytes = crypto.getRandomValues(new Uint8Array(16));
  return btoa(String.fromCharCode(...bytes)).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
}

export const SESSION_ID = randomSessionId();

export type Participant = { participantId: string; sessionId: string; name: string; self: boolean };

export function createRoomSession(roomId: string, join: CachedJoin) {
  const self = { participantId: join.participantId, sessionId: SESSION_ID, name: join.name };
  const [roster, setRoster] = createSignal<Map<string, PeerInfo>>(new Map());

  const doc = createRoomDoc(roomId, join.token, self);
  const [error, setError] = createSignal<{ code: string; message: string } | null>(null);
  const [dominant, setDominant] = createSignal<string | null>(null);
  let iceServers: RTCIceServer[] = [];
  const probe = () => signalling.probe();
  const mesh = createMesh({
    sendSignal: (to, data) => signalling.send({ type: 'signal', to, data }),
    isPresent: (sessionId) => roster().has(sessionId),
    selfSessionId: SESSION_ID,
    networkChanged: probe,
  });
  const relay = createRelayLink({
    send: (message) => signalling.send(message),
    iceServers: () => iceServers,
    epoch: () => path.mode()?.epoch ?? 0,
    networkChanged: probe,
  });
  const path = createMediaPath({
    mesh,
    relay,
    ack: (epoch) => signalling.send({ type: 'mode-ack', epoch }),
    screenShares: () => [...doc.users().values()].filter((u) => u.sessionId !== SESSION_ID && u.screen).length,
  });

  const onMessage = (message: ServerMessage) => {
    switch (message.type) {
      case 'welcome':
        setRoster(new Map(message.peers.map((p) => [p.sessionId, p])));
        iceServers = message.iceServers;
        path.apply(message.mode); // first: in relay mode no mesh link is built
        mesh.welcome(message.peers, message.iceServers);
        break;
      case 'peer-joined':
        setRoster((r) => new Map(r).set(message.peer.sessionId, message.peer));
        mesh.peerJoined(message.peer);
        break;
      case 'peer-left':
        setRoster((r) => {
          const next = new Map(r);
          next.delete(message.sessionId);
          return next;
        });
        mesh.peerLeft(message.sessionId);
        break;
      case 'signal':
        mesh.signal(message.from, message.data);
        break;
      case 'error':
        if (message.fatal) setError({ code: message.code, message: message.message });
        else console.warn(`signalling: ${message.code}: ${message.message}`);
        if (message.code === 'relay-failed') relay.failed();
        break;
      case 'pong':
        break;
      case 'mode':
        path.apply(message);
        break;
      case 'relay-answer':
        void relay.answer(message.sdp, message.offerId);
        break;
      case 'relay-candidate':
        void relay.candidate(message.candidate);
        break;
      case 'relay-reoffer':
        relay.reoffer();
        break;
      case 'slots':
        relay.setSlots(message);
        break;
      case 'speaker':
        setDominant(message.sessionId);
        break;
      case 'layers':
        relay.setCameraLayers(message.rids);
        break;
      case 'paused':
        relay.setPaused(message);
        break;
      default:
        assertNever(message);
    }
  };

  const signalling = createSignalling({ url: signallingUrl(roomId, join.token, SESSION_ID), onMessage, onReconnected: () => (relay.signallingReconnected(), mesh.signallingReconnected()) });

  createEffect(() => {
    doc.setPresence({ audio: media.hasAudio() && media.micOn(), video: media.hasVideo() && media.cameraOn(), screen: media.screen() !== null });
  });

  /** Self first, then everyone the relay lists or we are linked with, one entry per participant. */
  const participants = createMemo<Participant[]>(() => {
    const list: Participant[] = [{ ...self, self: true }];
    const seen = new Set([self.participantId]);
    const add = (p: { participantId: string; sessionId: string; name: string }) => {
      if (!p.participantId || seen.has(p.participantId)) return;
      seen.add(p.participantId);
      list.push({ participantId: p.participantId, sessionId: p.sessionId, name: p.name, self: false });
    };
    for (const p of roster().values()) add(p);
    for (const r of mesh.remotes()) if (r.connected()) add({ participantId: r.participantId(), sessionId: r.sessionId, name: r.name() });
    return list;
  });

  let closed = false;
  const close = (leaving: boolean) => {
    if (closed) return;
    closed = true;
    if (leaving) signalling.leave();
    else signalling.close();
    mesh.close();
    relay.dispose();
    doc.close();
  };
  const onPageHide = () => close(true);
  window.addEventListener('pagehide', onPageHide);
  window.addEventListener('online', probe);
  onCleanup(() => {
    window.removeEventListener('pagehide', onPageHide);
    window.removeEventListener('online', probe);
    close(true); // a no-op for the socket when the relay already ended the session
  });

  return {
    self,
    role: join.role,
    meshMax: join.meshMax,
    state: signalling.state,
    /** The last fatal error from the relay (e.g. room-full with its limit), for the end screen. */
    error,
    remotes: mesh.remotes,
    /** The relay's dominant speaker (relay mode only; null in a mesh, where the client decides). */
    dominant: () => (path.target() === 'relay' ? dominant() : null),
    path,
    relay,
    /** Every peer connection that receives remote media (mesh links, the relay), for tile stats. */
    peerConnections: (): RTCPeerConnection[] => {
      const relayPc = relay.pc();
      return relayPc ? [...mesh.peerConnections(), relayPc] : mesh.peerConnections();
    },
    participants,
    doc,
    leave: () => close(true),
  };
}

export type RoomSession = ReturnType<typeof createRoomSession>;

function assertNever(value: never): never {
  throw new Error(`unhandled message: ${JSON.stringify(value)}`);
}
