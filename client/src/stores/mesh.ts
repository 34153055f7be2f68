/**
 * The mesh: one simple-peer link per remote session, media end to end between browsers.
 *
 * Who offers: a newcomer initiates towards every peer listed in its `welcome`; those already present
 * wait (non-initiator) and get the offer through the relay. A link that simple-peer destroyed (ICE
 * failed, or the remote closed) is rebuilt by its initiator while the remote is still in the room; a
 * link stuck in ICE `disconnected` gets an ICE restart. Those decisions come from ReconnectPolicy.
 *
 * Each link publishes a small view (name, connected, camera and screen streams) as signals. Which
 * remote stream is the screen share comes from a `{kind:'streams'}` message on the data channel.
 *
 * Relay mode (stores/mediaPath.ts): the mesh keeps one entry per remote session (tiles, names) but
 * builds no link while `linking` is off; `closeLinks()` drops every link once the relay carries the
 * media, and `setLinking(true)` builds them back, the smaller session id offering. While a switch is
 * in progress, `watchDecoding(true)` polls each link's stats so a tile swaps only to a decoding stream.
 */
import { createSignal, type Accessor, type Setter } from 'solid-js';
import SimplePeer from 'simple-peer/simplepeer.min.js';
import type { PeerInfo } from '../../../relay/signal/protocol.ts';
import { defaultReconnectPolicy, type ReconnectPolicy } from '../lib/reconnectPolicy.ts';
import { meshInitiator } from '../lib/pathSwitch.ts';
import { classifyStreams, type StreamsMessage } from '../lib/remoteStreams.ts';
import { framesDecoded } from '../lib/framesDecoded.ts';
import { Resend } from '../lib/resend.ts';
import { networkChanged } from '../lib/socketProbe.ts';
import { parseLinkMessage } from '../lib/linkMessages.ts';
import { media } from './media.ts';
import { createMeshCamera } from './meshCamera.ts';

export type RemoteView = {
  sessionId: string;
  participantId: Accessor<string>;
  name: Accessor<string>;
  connected: Accessor<boolean>;
  camera: Accessor<MediaStream | null>;
  screen: Accessor<MediaStream | null>;
  /** The camera stream has decoded a frame (kept up to date only while `watchDecoding` is on). */
  cameraDecoding: Accessor<boolean>;
};

/** simple-peer members that its typings omit: the RTCPeerConnection (for `restartIce`) and `negotiate`. */
type Peer = SimplePeer.Instance & { readonly _pc: RTCPeerConnection; readonly destroyed: boolean; negotiate(): void };

type Link = {
  peer: Peer;
  initiator: boolean;
  ice: RTCIceConnectionState | 'destroyed';
  troubleSince: number | null;
  lastRestartAt: number | null;
  streams: MediaStream[];
  info: StreamsMessage | null;
  /** We told the remote we no longer need its camera video on this link (it shows it from the relay). */
  releasedCamera: boolean;
  /** Our last offer and its candidates, for a new signalling socket (lib/resend.ts). */
  resend: Resend<Record<string, unknown>>;
};

type Entry = {
  view: RemoteView;
  set: {
    participantId: Setter<string>;
    name: Setter<string>;
    connected: Setter<boolean>;
    camera: Setter<MediaStream | null>;
    screen: Setter<MediaStream | null>;
    cameraDecoding: Setter<boolean>;
  };
  link: Link | null;
};

export type MeshOptions = {
  sendSignal(to: string, data: Record<string, unknown>): void;
  /** Whether the signalling roster lists this session (a destroyed link is rebuilt only then). */
  isPresent(sessionId: string): boolean;
  selfSessionId: string;
  policy?: ReconnectPolicy;
  /** A link's network went away or came back: check the signalling socket (signalling.ts `probe`). */
  networkChanged?(): void;
};

const MAX_PENDING = 64;
const CLOSE_SPACING_MS = 150;

export function createMesh(options: MeshOptions) {
  const policy = options.policy ?? defaultReconnectPolicy;
  const entries = new Map<string, Entry>();
  const pending = new Map<string, SimplePeer.SignalData[]>();
  const [remotes, setRemotes] = createSignal<RemoteView[]>([]);
  let iceServers: RTCIceServer[] = [];
  let closed = false;
  let linking = true;
  let decodeTimer: ReturnType<typeof setInterval> | undefined;

  const publishList = () => setRemotes([...entries.values()].map((e) => e.view));

  const ensureEntry = (peer: Pick<PeerInfo, 'sessionId' | 'participantId' | 'name'>): Entry => {
    const existing = entries.get(peer.sessionId);
    if (existing) {
      if (peer.participantId) existing.set.participantId(peer.participantId);
      if (peer.name) existing.set.name(peer.name);
      return existing;
    }
    const [participantId, setParticipantId] = createSignal(peer.participantId);
    const [name, setName] = createSignal(peer.name);
    const [connected, setConnected] = createSignal(false);
    const [camera, setCamera] = createSignal<MediaStream | null>(null);
    const [screen, setScreen] = createSignal<MediaStream | null>(null);
    const [cameraDecoding, setCameraDecoding] = createSignal(false);
    const entry: Entry = {
      view: { sessionId: peer.sessionId, participantId, name, connected, camera, screen, cameraDecoding },
      set: { participantId: setParticipantId, name: setName, connected: setConnected, camera: setCamera, screen: setScreen, cameraDecoding: setCameraDecoding },
      link: null,
    };
    entries.set(peer.sessionId, entry);
    publishList();
    return entry;
  };

  const publishStreams = (entry: Entry) => {
    const link = entry.link;
    const live = link ? link.streams.filter((s) => s.getTracks().length > 0) : [];
    const { camera, screen } = classifyStreams(live, link?.info ?? null);
    entry.set.camera(camera);
    entry.set.screen(screen);
  };

  const localInfo = (): StreamsMessage => ({ kind: 'streams', camera: media.stream()?.id ?? null, screen: media.screen()?.id ?? null });

  const sendInfo = (link: Link) => {
    if (!link.peer.connected) return;
    try {
      link.peer.send(JSON.stringify(localInfo()));
    } catch {
      /* channel closing: the next link will send it on connect */
    }
  };

  /** Our camera's encoding on each link (meshCamera.ts), tuned for the links that are connected. */
  const camera = createMeshCamera();
  const tuneCameras = () => camera.tune([...entries.values()].flatMap((e) => (e.link?.peer.connected ? [e.link.peer._pc] : [])));

  const connectLink = (entry: Entry, initiator: boolean): Link => {
    entry.link?.peer.destroy();
    const outbound = [media.stream(), media.screen()].filter((s): s is MediaStream => s !== null && s.getTracks().length > 0);
    const peer = new SimplePeer({ initiator, trickle: true, objectMode: true, config: { iceServers }, streams: outbound }) as Peer;
    const link: Link = { peer, initiator, ice: 'new', troubleSince: null, lastRestartAt: null, streams: [], info: null, releasedCamera: false, resend: new Resend() };
    entry.link = link;
    entry.set.connected(false);
    entry.set.cameraDecoding(false);
    const sessionId = entry.view.sessionId;
    const current = () => entry.link === link;

    peer.on('signal', (data: SimplePeer.SignalData) => {
      // A (re)negotiation may hand the senders new parameters: tune them again at the next tick.
      const type = (data as { type?: string }).type;
      if (type !== 'candidate') camera.forget(peer._pc);
      if (!current()) return;
      const message = data as unknown as Record<string, unknown>;
      if (type === 'offer') link.resend.offer(message);
      else if (type === 'candidate') link.resend.candidate(message);
      options.sendSignal(sessionId, message);
    });
    peer.on('connect', () => {
      if (!current()) return;
      entry.set.connected(true);
      sendInfo(link);
      tuneCameras();
    });
    peer.on('data', (chunk: unknown) => {
      const message = parseLinkMessage(typeof chunk === 'string' ? chunk : new TextDecoder().decode(chunk as Uint8Array));
      if (!message || !current()) return;
      if (message.kind === 'camera') return void camera.setWanted(link.peer._pc, message.wanted);
      link.info = message;
      publishStreams(entry);
    });
    peer.on('track', (_track: MediaStreamTrack, stream: MediaStream) => {
      if (!current()) return;
      if (!link.streams.includes(stream)) {
        link.streams.push(stream);
        stream.addEventListener('removetrack', () => current() && publishStreams(entry));
        stream.addEventListener('addtrack', () => current() && publishStreams(entry));
      }
      publishStreams(entry);
    });
    peer.on('iceStateChange', (state: RTCIceConnectionState) => {
      if (!current()) return;
      const troubled = link.troubleSince !== null;
      link.ice = state;
      if (state === 'disconnected') link.troubleSince ??= Date.now();
      else link.troubleSince = null;
      if (networkChanged(state, troubled)) options.networkChanged?.();
    });
    peer.on('error', (error: Error & { code?: string }) => {
      console.warn(`mesh: link to ${sessionId} failed: ${error.code ?? error.message}`);
    });
    peer.on('close', () => {
      if (!current()) return;
      link.ice = 'destroyed';
      link.troubleSince = Date.now();
      link.streams = [];
      entry.set.connected(false);
      publishStreams(entry);
    });

    const buffered = pending.get(sessionId);
    pending.delete(sessionId);
    for (const data of buffered ?? []) peer.signal(data);
    return link;
  };

  const isLive = (entry: Entry | undefined): boolean => !!entry?.link && entry.link.ice !== 'destroyed' && !entry.link.peer.destroyed;

  const remove = (sessionId: string) => {
    const entry = entries.get(sessionId);
    pending.delete(sessionId);
    if (!entry) return;
    entries.delete(sessionId);
    const link = entry.link;
    entry.link = null;
    link?.peer.destroy();
    publishList();
  };

  const forEachLive = (fn: (link: Link) => void) => {
    for (const entry of entries.values()) {
      if (!isLive(entry) || !entry.link) continue;
      try {
        fn(entry.link);
      } catch (error) {
        console.warn('mesh: local media change failed on a link', error);
      }
    }
  };

  const unsubscribe = media.subscribe({
    trackAdded(track, stream) {
      forEachLive((link) => link.peer.addTrack(track, stream));
      forEachLive(sendInfo);
    },
    trackReplaced(previous, next, stream) {
      forEachLive((link) => link.peer.replaceTrack(previous, next, stream));
    },
    screenChanged(screen, previous) {
      forEachLive((link) => {
        if (previous) for (const t of previous.getTracks()) link.peer.removeTrack(t, previous);
        if (screen) for (const t of screen.getTracks()) link.peer.addTrack(t, screen);
      });
      forEachLive(sendInfo);
    },
  });

  const dropLink = (entry: Entry) => {
    const link = entry.link;
    entry.link = null;
    link?.peer.destroy();
    entry.set.connected(false);
    entry.set.cameraDecoding(false);
    publishStreams(entry);
  };

  const pollDecoding = async () => {
    for (const entry of [...entries.values()]) {
      const link = entry.link;
      const trackId = entry.view.camera()?.getVideoTracks()[0]?.id;
      if (!link || !trackId || link.peer.destroyed) continue;
      const frames = await framesDecoded(link.peer._pc, trackId);
      if (frames !== null && entry.link === link) entry.set.cameraDecoding(frames > 0);
    }
  };

  const tick = setInterval(() => {
    tuneCameras();
    if (!linking) return; // links left over from a switch to the relay are not rebuilt
    const now = Date.now();
    for (const [sessionId, entry] of [...entries]) {
      const link = entry.link;
      if (!link) continue;
      const decision = policy.decide(
        { ice: link.peer.destroyed ? 'destroyed' : link.ice, initiator: link.initiator, troubleSince: link.troubleSince, lastRestartAt: link.lastRestartAt, remotePresent: options.isPresent(sessionId) },
        now,
      );
      if (decision === 'restart-ice') {
        link.lastRestartAt = now;
        link.peer._pc.restartIce();
        link.peer.negotiate();
      } else if (decision === 'recreate') {
        connectLink(entry, true);
      } else if (decision === 'forget') {
        remove(sessionId);
      }
    }
  }, 1000);

  return {
    remotes,
    /** First welcome and every welcome after a signalling reconnect. */
    welcome(peers: PeerInfo[], servers: RTCIceServer[]) {
      iceServers = servers;
      for (const peer of peers) {
        const entry = ensureEntry(peer);
        if (linking && !isLive(entry)) connectLink(entry, true);
      }
    },
    peerJoined(peer: PeerInfo) {
      const entry = ensureEntry(peer);
      if (linking && !isLive(entry)) connectLink(entry, false); // the newcomer will offer
    },
    /** Whether to build links (mesh path). Turning it on links every remote without a live link. */
    setLinking(on: boolean) {
      if (closed || on === linking) return;
      linking = on;
      if (!on) return;
      for (const entry of entries.values()) {
        if (!isLive(entry) && meshInitiator(options.selfSessionId, entry.view.sessionId)) connectLink(entry, true);
      }
    },
    /** This remote's tile shows its camera from the relay now: ask it to stop encoding its camera for us. */
    releaseCamera(sessionId: string) {
      const link = entries.get(sessionId)?.link;
      if (!link || link.releasedCamera || !link.peer.connected) return;
      try {
        link.peer.send(JSON.stringify({ kind: 'camera', wanted: false }));
        link.releasedCamera = true;
      } catch {
        /* channel closing: the link goes away with the switch anyway */
      }
    },
    /**
     * Drops every link (the relay carries the media now); entries stay for the tiles. One link per
     * CLOSE_SPACING_MS: Chromium closes an RTCPeerConnection synchronously on the page's main thread,
     * and four at once blocked it for 0.4–0.6 s on a loaded machine, freezing every tile mid-switch.
     */
    closeLinks() {
      pending.clear();
      let delay = 0;
      for (const entry of entries.values()) {
        const link = entry.link;
        if (!link) continue;
        setTimeout(() => {
          if (!linking && entry.link === link) dropLink(entry);
        }, delay);
        delay += CLOSE_SPACING_MS;
      }
    },
    watchDecoding(on: boolean) {
      clearInterval(decodeTimer);
      decodeTimer = on && !closed ? setInterval(() => void pollDecoding(), 150) : undefined;
    },
    peerConnections(): RTCPeerConnection[] {
      return [...entries.values()].flatMap((e) => (e.link && !e.link.peer.destroyed ? [e.link.peer._pc] : []));
    },
    peerLeft(sessionId: string) {
      remove(sessionId);
    },
    /** A new signalling socket took over: each offer still unanswered goes again, with its candidates. */
    signallingReconnected() {
      for (const [sessionId, entry] of entries) {
        const link = entry.link;
        if (!isLive(entry) || !link) continue;
        for (const message of link.resend.again(link.peer._pc.signalingState === 'have-local-offer')) options.sendSignal(sessionId, message);
      }
    },
    signal(from: string, data: Record<string, unknown>) {
      if (closed) return;
      const signal = data as unknown as SimplePeer.SignalData;
      const entry = entries.get(from);
      const isOffer = (data as { type?: unknown }).type === 'offer';
      if (isOffer && (!isLive(entry) || entry?.link?.initiator)) {
        // The remote (re)built its link as initiator: answer with a fresh non-initiator link.
        connectLink(entry ?? ensureEntry({ sessionId: from, participantId: '', name: '' }), false).peer.signal(signal);
        return;
      }
      if (entry && isLive(entry) && entry.link) {
        entry.link.peer.signal(signal);
        return;
      }
      const queue = pending.get(from) ?? [];
      if (queue.length < MAX_PENDING) queue.push(signal);
      pending.set(from, queue);
    },
    close() {
      if (closed) return;
      closed = true;
      clearInterval(tick);
      clearInterval(decodeTimer);
      unsubscribe();
      for (const sessionId of [...entries.keys()]) remove(sessionId);
    },
  };
}

export type Mesh = ReturnType<typeof createMesh>;
