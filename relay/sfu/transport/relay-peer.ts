/**
 * One participant's connection to the relay: a werift RTCPeerConnection that only ever answers.
 *
 * The client's offer holds its publications (sendonly m-sections) and its receive slots (recvonly
 * m-sections); werift adds every remote m-section as a `recvonly` transceiver, so before answering we
 * turn the slots into `sendonly` ones. Incoming RTP of each publication (one per simulcast layer) goes
 * to `onRtp` as bytes; `send(slotMid, bytes)` writes into a slot; RTCP the client sends about a slot
 * (PLI, FIR, NACK, receiver reports, REMB) comes out as `slot-feedback`.
 *
 * werift details this adapter depends on (0.24.4):
 * - Its default ICE servers are Google's STUN server: we always pass ours (default none).
 * - The relay's codecs are Opus and VP8 only, so `sendRtp`, which stamps every packet with the slot's
 *   first negotiated codec, can't mislabel a packet; no RTX or RED (retransmissions go on the media SSRC).
 * - `sendRtp` rewrites SSRC, payload type, sequence offset and its own extensions, parses the buffer
 *   into a packet viewing that buffer and keeps it for NACKs: the caller gives the buffer away.
 *   werift answers the subscriber's NACKs from that history itself. With `sendPath: 'direct'` the
 *   peer bypasses the sender (direct-sender.ts: SRTP-seal the bytes, ICE send, our own sender
 *   reports); NACKs are then the room's to answer (retransmit.ts).
 * - Receiving: a publication's first packets take werift's pipeline (opened by srtp-unsealer.ts, bytes
 *   from raw-rtp.ts), then publisher-receiver.ts claims its SSRC for the relay's own (rtp-intake.ts).
 * - Feedback is read off the DTLS transport and matched by media SSRC (see feedback.ts).
 * - Simulcast layers are routed by rid alone, per connection, so only one simulcast track per
 *   connection works (the camera); a packet with an unknown rid throws inside werift's router (it
 *   catches and logs that, so the packet is merely lost).
 * - An m-section with neither a=ssrc nor rids can't be routed (werift doesn't route by the mid extension).
 * - An m-section with no codec in common fails the whole offer ("negotiate codecs failed.") instead of
 *   being rejected alone; the room then drops the peer.
 * - SRTP: as DTLS client (the answerer's role) werift offers AEAD_AES_128_GCM before
 *   AES_CM_128_HMAC_SHA1_80; as server it picks its own first match. GCM wins whenever the browser has it.
 *   Chromium 156 as shipped has none: it settles on AES_CM_128_HMAC_SHA1_80 with the relay, and with
 *   itself (measured; testing/chromium-capture.json records the relay's side).
 * - ICE restart (an offer with new ice-ufrag/pwd, same certificate: ice-restart.ts): werift's
 *   setRemoteDescription restarts the ICE agent (fresh local credentials, candidates and checklist on
 *   the same sockets) and keeps the DTLS transport, its SRTP keys and every transceiver. But its
 *   connect() returns as soon as DTLS is connected, before starting ICE, so after a restart it would
 *   only answer the browser's checks, and checks that come before any remote candidate (all of them,
 *   when the browser's candidates are mDNS names we drop) would wait forever. We run the checks
 *   ourselves. werift also takes new credentials for "renomination", keeping its own, when the offer
 *   has an inactive m-section; restarting the agent first makes every restart a real one. A restart
 *   before DTLS ever came up is refused (IceRestartError): the client builds a new connection instead.
 * - werift answers with the offer's format parameters; what the answer accepts per m-section and the
 *   edits to its text (Opus DTX, transport-wide feedback, the announced address) are negotiation.ts's.
 * - ICE consent (RFC 7675): werift fails a connection 30 s after its last consent response, and gave
 *   each response only 0.5–1 s, which a loaded relay's event loop reads later than that: patched
 *   (patches/werift+0.24.4.patch) to wait until the next check is due (consent.int.ts).
 */
import { EventEmitter } from 'node:events';
import {
  RTCPeerConnection,
  useAbsSendTime,
  useAudioLevelIndication,
  useOPUS,
  useRepairedRtpStreamId,
  useSdesMid,
  useSdesRTPStreamId,
  useTransportWideCC,
  useVP8,
} from 'werift';
import type { RTCIceCandidate, RTCRtpTransceiver, RtcpPacket } from 'werift';
import type { IceServer } from '../../signal/protocol.ts';
import { ABS_SEND_TIME_URI } from '../forward/index.ts';
import { announceCandidate, remoteCandidate, remoteSdp } from './candidates.ts';
import { DirectSender } from './direct-sender.ts';
import { slotFeedback } from './feedback.ts';
import { classifyOffer, offerIdentity, type OfferIdentity, type OfferKind } from './ice-restart.ts';
import { keepPairThroughRestart } from './ice-send.ts';
import { rawRtpBytes } from './raw-rtp.ts';
import { PublisherReceiver, type ReceivePath } from './publisher-receiver.ts';
import { useRtpUnsealer } from './srtp-unsealer.ts';
import { acceptTransceiver, answerText } from './negotiation.ts';
import type { SlotFeedback } from './feedback.ts';
import type { Publication, SlotInfo } from './forwarder.ts';
import type { IceCandidate, VideoSource } from './protocol.ts';
import type { SlotMids } from './slots.ts';

export type RelayPeerOptions = {
  iceServers?: IceServer[];
  /** UDP ports to gather on, [min, max] with min < max (a werift requirement). */
  icePortRange?: [number, number];
  /** Public address replacing the host candidates' address (see candidates.ts). */
  announcedIp?: string;
  iceAdditionalHostAddresses?: string[];
  iceUseIpv6?: boolean;
  /** 'werift' (RTCRtpSender.sendRtp) or 'direct' (direct-sender.ts); see RelayRoomOptions.sendPath. */
  sendPath?: SendPath;
  /** Transport-wide congestion control feedback to publishers (transport-cc.ts; default true). */
  transportCc?: boolean;
  /** 'direct' (default): publishers' packets skip werift's receive pipeline once their SSRC is known (rtp-intake.ts). */
  receivePath?: ReceivePath;
};

export type SendPath = 'werift' | 'direct';
export type { ReceivePath, SlotFeedback };

export type RelayPeerEvents = {
  candidate: [IceCandidate | null];
  /** After each answer: the publications (streams) that appeared and those that ended. */
  publications: [added: Publication[], removed: Publication[]];
  'slot-feedback': [mid: string, feedback: SlotFeedback];
  'connection-state': [state: string];
  closed: [];
};

export class PeerClosedError extends Error {
  override name = 'PeerClosedError';
}

/** An ICE restart this peer can't do: its DTLS session never came up (the client starts over). */
export class IceRestartError extends Error {
  override name = 'IceRestartError';
}

type Tracked = { pub: Publication; stop: () => void };

export class RelayPeer extends EventEmitter<RelayPeerEvents> {
  /** The packet path: every incoming RTP packet of a publication, as fresh bytes. */
  onRtp: (pub: Publication, packet: Uint8Array) => void = () => {};
  readonly drops = { 'unknown-slot': 0, 'send-failed': 0 };
  /** ICE restarts answered; the ICE checks of the last one, once they end (null: running or none). */
  readonly ice = { restarts: 0, lastRestart: null as null | 'connected' | 'failed' };
  readonly #pc: RTCPeerConnection;
  readonly #publications = new Map<string, Tracked>();
  /** Send slots; `absSendTimeId`: the slot's abs-send-time extension id, 0 when not negotiated. */
  readonly #slots = new Map<string, { kind: 'audio' | 'video'; transceiver: RTCRtpTransceiver; absSendTimeId: number }>();
  readonly #slotBySsrc = new Map<number, string>();
  readonly #rtcpTransports = new Set<object>();
  /** The relay as receiver of this client's publications: transport-wide feedback, its own receive path. */
  readonly #receiver: PublisherReceiver;
  readonly #direct: DirectSender | undefined;
  #queue: Promise<unknown> = Promise.resolve();
  #answering = false;
  #closed = false;
  /** The client's ICE credentials and certificate, from the last offer answered. */
  #remote: OfferIdentity | undefined;

  constructor(
    readonly sessionId: string,
    readonly options: RelayPeerOptions = {},
  ) {
    super();
    const transportCc = options.transportCc === false ? [] : [useTransportWideCC()];
    this.#pc = new RTCPeerConnection({
      iceServers: options.iceServers ?? [],
      icePortRange: options.icePortRange,
      iceAdditionalHostAddresses: options.iceAdditionalHostAddresses,
      iceUseIpv6: options.iceUseIpv6 ?? true,
      codecs: { audio: [useOPUS()], video: [useVP8()] },
      headerExtensions: {
        // abs-send-time: for what we send (forward/abs-send-time.ts); answered on slots only (negotiation.ts).
        // Transport-wide CC: for what we receive (transport-cc.ts). Answered on slots too, where nothing
        // carries it: Chrome offers a later m-section only the extensions its earlier answers accepted.
        audio: [useSdesMid(), useAudioLevelIndication(), ...transportCc],
        video: [useSdesMid(), useSdesRTPStreamId(), useRepairedRtpStreamId(), useAbsSendTime(), ...transportCc],
      },
    });
    this.#pc.onIceCandidate.subscribe((c) => this.#onLocalCandidate(c));
    this.#pc.connectionStateChange.subscribe((state) => {
      if (state === 'connected') for (const t of this.#pc.dtlsTransports) useRtpUnsealer(t);
      this.emit('connection-state', state);
    });
    this.#receiver = new PublisherReceiver(options.receivePath);
    if (options.sendPath === 'direct') this.#direct = new DirectSender(() => [...this.#slots.values()].map((s) => s.transceiver));
  }

  get closed(): boolean {
    return this.#closed;
  }

  get connectionState(): string {
    return this.#pc.connectionState;
  }

  /** What an offer would be to this peer: a 'new-connection' (another certificate) it can't answer. */
  offerKind(offerSdp: string): OfferKind {
    return classifyOffer(this.#remote, offerIdentity(offerSdp));
  }

  /** Answers an offer (the first or a re-offer). Offers are handled one at a time, in order. */
  answer(offerSdp: string, videoSources: ReadonlyArray<{ mid: string; source: VideoSource }> = [], audioFrameMs?: number): Promise<string> {
    const run = this.#queue.then(() => this.#answer(offerSdp, videoSources, audioFrameMs));
    this.#queue = run.catch(() => {});
    return run;
  }

  /** Queued behind the offers: a candidate of a restarted ICE agent must come after its offer. */
  addRemoteCandidate(candidate: IceCandidate | null): Promise<void> {
    const run = this.#queue.then(() => this.#addRemoteCandidate(candidate));
    this.#queue = run.catch(() => {});
    return run;
  }

  async #addRemoteCandidate(candidate: IceCandidate | null): Promise<void> {
    if (this.#closed) return;
    if (!candidate) return this.#pc.addIceCandidate(null);
    const line = remoteCandidate(candidate.candidate, this.#remote?.ufrag);
    if (line) await this.#pc.addIceCandidate({ candidate: line, sdpMid: candidate.sdpMid ?? undefined, sdpMLineIndex: candidate.sdpMLineIndex ?? undefined });
  }

  publications(): Publication[] {
    return [...this.#publications.values()].map((t) => t.pub);
  }

  slotMids(): SlotMids {
    const mids: { audio: string[]; video: string[] } = { audio: [], video: [] };
    for (const [mid, slot] of this.#slots) mids[slot.kind].push(mid);
    return mids;
  }

  slotInfo(mid: string): SlotInfo | undefined {
    const t = this.#slots.get(mid)?.transceiver;
    if (!t?.sender.codec) return undefined;
    const extensions = new Map(t.headerExtensions.map((e) => [e.uri, e.id]));
    return { subscriber: this.sessionId, mid, ssrc: t.sender.ssrc, payloadType: t.sender.codec.payloadType, extensions };
  }

  /**
   * Writes one RTP packet (SSRC, PT, seq/ts and extensions already the slot's) into a slot. Takes
   * ownership of `bytes` on the werift path (it keeps them for NACKs); the direct path keeps nothing.
   */
  send(slotMid: string, bytes: Uint8Array): void {
    const slot = this.#slots.get(slotMid);
    if (this.#closed || !slot) {
      this.drops['unknown-slot']++;
      return;
    }
    if (this.#direct) {
      if (!this.#direct.send(slot.transceiver, bytes, slot.absSendTimeId)) this.drops['send-failed']++;
      return;
    }
    const buf = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    slot.transceiver.sender.sendRtp(buf).catch(() => this.drops['send-failed']++);
  }

  /** Publishers' packets taken past werift's receive path (rtp-intake.ts); of those, inauthentic, and that threw. */
  intakeCounters(): { taken: number; authFailures: number; errors: number } {
    return this.#receiver.counters();
  }

  /** Asks the publisher for a keyframe (PLI). False when not connected or the SSRC isn't known yet. */
  requestKeyframe(pub: Publication): boolean {
    const t = this.#pc.getTransceivers().find((x) => x.mid === pub.mid);
    if (this.#closed || !t || pub.ssrc === undefined || this.#pc.connectionState !== 'connected') return false;
    void t.receiver.sendRtcpPLI(pub.ssrc);
    return true;
  }

  /** The negotiated SRTP cipher ("AEAD_AES_128_GCM", "AES_CM_128_HMAC_SHA1_80"), once DTLS is up. */
  async srtpCipher(): Promise<string | undefined> {
    const report = await this.#pc.getStats();
    for (const s of report.values()) {
      const cipher = (s as { type: string; srtpCipher?: string }).srtpCipher;
      if (s.type === 'transport' && cipher) return cipher;
    }
    return undefined;
  }

  close(): void {
    if (this.#closed) return;
    this.#closed = true;
    this.#direct?.close();
    this.#receiver.close();
    for (const t of this.#publications.values()) t.stop();
    this.#publications.clear();
    this.#slots.clear();
    void this.#pc.close().catch(() => {});
    this.emit('closed');
    this.removeAllListeners();
  }

  async #answer(offerSdp: string, videoSources: ReadonlyArray<{ mid: string; source: VideoSource }>, audioFrameMs: number | undefined): Promise<string> {
    if (this.#closed) throw new PeerClosedError(`peer of ${this.sessionId} is closed`);
    const remote = offerIdentity(offerSdp);
    const restart = classifyOffer(this.#remote, remote) === 'ice-restart';
    if (restart) this.#restartIce();
    await this.#pc.setRemoteDescription({ type: 'offer', sdp: remoteSdp(offerSdp) });
    this.#remote = remote;
    for (const t of this.#pc.getTransceivers()) acceptTransceiver(t);
    const answer = await this.#pc.createAnswer();
    // Candidates gathered while setting the answer are part of it: they are not trickled as well,
    // so the client never gets a candidate before the answer it belongs to.
    this.#answering = true;
    try {
      await this.#pc.setLocalDescription(answer);
    } finally {
      this.#answering = false;
    }
    if (this.#closed) throw new PeerClosedError(`peer of ${this.sessionId} closed while answering`);
    if (restart) this.#runIceChecks();
    this.#sync(videoSources);
    return answerText(this.#pc.localDescription?.sdp ?? answer.sdp, this.options.announcedIp, audioFrameMs, this.options.transportCc !== false);
  }

  #restartIce(): void {
    const transports = this.#pc.dtlsTransports;
    if (transports.length === 0 || transports.some((t) => t.state !== 'connected')) {
      throw new IceRestartError(`peer of ${this.sessionId} can't restart ICE: DTLS never connected`);
    }
    this.ice.restarts++;
    this.ice.lastRestart = null;
    for (const t of transports) keepPairThroughRestart(t.iceTransport.connection), t.iceTransport.restart();
  }

  /** The checks werift's connect() skips after a restart (DTLS is up); the agent reports `connected` itself. */
  #runIceChecks(): void {
    const restarts = this.ice.restarts;
    for (const t of this.#pc.dtlsTransports) {
      t.iceTransport.connection.connect().then(
        // A restart during the checks of the one before (restart offers re-sent during an outage arrive
        // together) leaves two connect()s on the agent, sharing its one check list and result queue:
        // the older one may be the one that ends, with the newer checks' success (measured in
        // ice-restart.int.ts; the other never ends). Only the newest checks can succeed after a restart.
        () => (this.ice.lastRestart = 'connected'),
        // Checks of an agent restarted again, or closed, end this way too; the client decides what next.
        () => restarts === this.ice.restarts && (this.ice.lastRestart = 'failed'),
      );
    }
  }

  /** Brings publications and slots in line with the negotiated transceivers. */
  #sync(videoSources: ReadonlyArray<{ mid: string; source: VideoSource }>): void {
    const seen = new Set<string>();
    const added: Publication[] = [];
    const removed: Publication[] = [];
    let videoIndex = 0;
    this.#slots.clear();
    this.#slotBySsrc.clear();
    for (const t of this.#pc.getTransceivers()) {
      const mid = t.mid;
      if (!mid || t.stopped) continue;
      const kind = t.kind === 'audio' ? 'audio' : 'video';
      if (t.currentDirection === 'sendonly') {
        const absSendTimeId = t.headerExtensions.find((e) => e.uri === ABS_SEND_TIME_URI)?.id ?? 0;
        this.#slots.set(mid, { kind, transceiver: t, absSendTimeId });
        this.#slotBySsrc.set(t.sender.ssrc, mid);
      } else if (t.currentDirection === 'recvonly') {
        this.#receiver.watchTransportCc(t);
        const source = kind === 'audio' ? 'microphone' : (videoSources.find((v) => v.mid === mid)?.source ?? (videoIndex++ === 0 ? 'camera' : 'screen'));
        const rids = t.receiver.tracks.flatMap((track) => (track.rid ? [track.rid] : []));
        for (const track of t.receiver.tracks) {
          const id = `${this.sessionId}/${mid}${track.rid ? `/${track.rid}` : ''}`;
          seen.add(id);
          if (this.#publications.has(id)) continue;
          const pub: Publication = {
            id,
            sessionId: this.sessionId,
            source,
            kind,
            mid,
            rid: track.rid || undefined,
            rids,
            ssrc: track.ssrc || undefined,
            extensions: new Map(t.headerExtensions.map((e) => [e.id, e.uri])),
          };
          let claimed: number | undefined;
          const { unSubscribe } = track.onReceiveRtp.subscribe((rtp) => {
            pub.ssrc ??= rtp.header.ssrc;
            if (claimed === undefined) this.#receiver.claim(t, (claimed = rtp.header.ssrc), pub, (bytes) => this.onRtp(pub, bytes));
            this.onRtp(pub, (this.#direct && rawRtpBytes(rtp)) || rtp.serialize());
          });
          const stop = () => {
            unSubscribe();
            if (claimed !== undefined) this.#receiver.release(t, claimed);
          };
          this.#publications.set(id, { pub, stop });
          added.push(pub);
        }
      }
      this.#watchRtcp(t);
    }
    for (const [id, tracked] of this.#publications) {
      if (seen.has(id)) continue;
      tracked.stop();
      this.#publications.delete(id);
      removed.push(tracked.pub);
    }
    if (added.length > 0 || removed.length > 0) this.emit('publications', added, removed);
  }

  #watchRtcp(t: RTCRtpTransceiver): void {
    const transport = t.dtlsTransport;
    if (!transport || this.#rtcpTransports.has(transport)) return;
    this.#rtcpTransports.add(transport);
    transport.onRtcp.subscribe((packet) => this.#onRtcp(packet));
  }

  #onRtcp(packet: RtcpPacket): void {
    if (this.#closed) return;
    for (const [mid, feedback] of slotFeedback(packet, this.#slotBySsrc)) this.emit('slot-feedback', mid, feedback);
  }

  #onLocalCandidate(c: RTCIceCandidate | undefined): void {
    if (this.#closed || this.#answering) return;
    if (!c) {
      this.emit('candidate', null);
      return;
    }
    const candidate = announceCandidate(c.candidate, this.options.announcedIp);
    this.emit('candidate', { candidate, sdpMid: c.sdpMid ?? null, sdpMLineIndex: c.sdpMLineIndex ?? null });
  }
}
