/**
 * A browser stand-in for relay tests: a werift RTCPeerConnection that offers like the Palabre client
 * (sendonly microphone and camera, recvonly audio and video slots), publishes synthetic RTP and records
 * what arrives in its slots. Every payload carries the publisher's one-byte tag right after the codec
 * header, so a test can tell who a packet came from and compare with the `slots` message.
 *
 * Audio: Opus-like 20 ms packets (TOC 0xfc), 50/s, with the RFC 6464 audio-level extension (level =
 * the tag with the voice bit, unless `media.audioLevel` gives the byte). Video: VP8-like single-packet
 * frames at 30/s, a keyframe (P bit clear, start code 9d 01 2a) every 30 frames and after a PLI.
 * Packets are built fresh for every write: werift keeps what it is given. Per receive slot it also
 * records the SSRCs seen and how often the sequence number did not advance by exactly one.
 *
 * `restartIceOffer()` restarts ICE the way a browser does. werift as offerer has the gap RelayPeer
 * works around as answerer (relay-peer.ts): once DTLS is up its connect() skips ICE, so after the
 * restarted agent gets the answer the client runs the checks itself, as a browser's agent would.
 */
import {
  MediaStreamTrack,
  ReceiverEstimatedMaxBitrate,
  RTCPeerConnection,
  RtcpPayloadSpecificFeedback,
  RtpHeader,
  RtpPacket,
  useAudioLevelIndication,
  useOPUS,
  useAbsSendTime,
  useSdesMid,
  useNACK,
  usePLI,
  useREMB,
  useTWCC,
  useTransportWideCC,
  useVP8,
} from 'werift';
import type { DtlsKeys, RTCRtpTransceiver } from 'werift';
import { AUDIO_LEVEL_URI } from './forwarder.ts';
import type { IceCandidate, PausedMessage, RelayServerMessage, SlotsMessage } from './protocol.ts';

export const LOOPBACK_PEER_CONFIG = { iceServers: [], iceAdditionalHostAddresses: ['127.0.0.1'], iceUseIpv6: false };

/** The relay's send paths the media tests run on: both, or the one RELAY_SEND_PATH names. */
export const SEND_PATHS: ReadonlyArray<'werift' | 'direct'> = process.env.RELAY_SEND_PATH === 'werift' || process.env.RELAY_SEND_PATH === 'direct' ? [process.env.RELAY_SEND_PATH] : ['werift', 'direct'];

export type Received = { packets: number; keyframes: number; audioLevels: number[]; lastAt: number };
/** One receive slot's RTP stream as it arrived: SSRCs, and steps where seq ≠ previous + 1. */
export type SlotStream = { packets: number; ssrcs: Set<number>; lastSeq: number; jumps: number };

export class TestClient {
  readonly pc: RTCPeerConnection;
  readonly audio: RTCRtpTransceiver;
  readonly video: RTCRtpTransceiver;
  readonly slots: { audio: RTCRtpTransceiver[]; video: RTCRtpTransceiver[] };
  /** slot mid → publisher tag → what arrived. */
  readonly received = new Map<string, Map<number, Received>>();
  lastSlots: SlotsMessage | undefined;
  readonly slotsHistory: SlotsMessage[] = [];
  /** Every dominant speaker the relay named (`speaker` messages), in order. */
  readonly speakers: Array<string | null> = [];
  /** Every `paused` message, in order, with when it came (Date.now()). */
  readonly paused: Array<PausedMessage & { at: number }> = [];
  /** How many times the relay asked us to offer again (`relay-reoffer`). */
  reoffers = 0;
  /** Keyframe requests (PLI) that reached the camera. */
  plis = 0;
  /** slot mid → its stream's continuity. */
  readonly streams = new Map<string, SlotStream>();
  #audioTrack = new MediaStreamTrack({ kind: 'audio' });
  #videoTrack = new MediaStreamTrack({ kind: 'video' });
  #timers: NodeJS.Timeout[] = [];
  #seq = { audio: 1000, video: 5000 };
  readonly #layers = new Map<string, { ssrc: number; seq: number }>();
  #frames = 0;
  #keyframeNext = false;
  #restarting = false;

  constructor(
    readonly sessionId: string,
    readonly tag: number,
    slotCounts = { audio: 2, video: 2 },
    /** `videoBytes`: pad each video packet's payload to this size, for a bitrate the relay can measure.
     * `absSendTime`: offer the abs-send-time extension on video, as browsers do.
     * `transportCc`: offer the transport-wide sequence number on audio and video, as browsers do. */
    readonly media: { audioLevel?: number; videoBytes?: number; absSendTime?: boolean; transportCc?: boolean } = {},
    /** werift shares one certificate among all connections of a process; a browser makes one per connection. */
    dtlsKeys?: DtlsKeys,
  ) {
    this.pc = new RTCPeerConnection({
      ...LOOPBACK_PEER_CONFIG,
      ...(dtlsKeys ? { dtls: { keys: dtlsKeys } } : {}),
      // With werift's default (max-compat) the offerer gathers a socket per m-section and close()
      // leaves those of bundled-away m-sections open, so the test process would never exit.
      bundlePolicy: 'max-bundle',
      // Browsers that number their packets also ask for feedback on each format (`transport-cc`).
      codecs: media.transportCc
        ? { audio: [useOPUS({ rtcpFeedback: [useTWCC()] })], video: [useVP8({ rtcpFeedback: [useNACK(), usePLI(), useREMB(), useTWCC()] })] }
        : { audio: [useOPUS()], video: [useVP8()] },
      headerExtensions: {
        audio: [useSdesMid(), useAudioLevelIndication(), ...(media.transportCc ? [useTransportWideCC()] : [])],
        video: [useSdesMid(), ...(media.absSendTime ? [useAbsSendTime()] : []), ...(media.transportCc ? [useTransportWideCC()] : [])],
      },
    });
    this.audio = this.pc.addTransceiver(this.#audioTrack, { direction: 'sendonly' });
    this.video = this.pc.addTransceiver(this.#videoTrack, { direction: 'sendonly' });
    const recv = (kind: 'audio' | 'video', n: number) => Array.from({ length: n }, () => this.pc.addTransceiver(kind, { direction: 'recvonly' }));
    this.slots = { audio: recv('audio', slotCounts.audio), video: recv('video', slotCounts.video) };
    // werift announces a track again with each answer (a restart's too): record each one once.
    const recording = new WeakSet<object>();
    this.pc.onTrack.subscribe((track) => {
      const t = this.pc.getTransceivers().find((x) => x.receiver.tracks.includes(track) || x.receiver.track === track);
      const mid = t?.mid;
      if (!mid || recording.has(track)) return;
      recording.add(track);
      track.onReceiveRtp.subscribe((rtp) => this.#record(mid, t.kind, rtp));
    });
    this.video.sender.onPictureLossIndication.subscribe(() => {
      this.#keyframeNext = true;
      this.plis++;
    });
  }

  async offer(): Promise<string> {
    const offer = await this.pc.createOffer();
    await this.pc.setLocalDescription(offer);
    return this.pc.localDescription?.sdp ?? offer.sdp;
  }

  /** An offer with new ICE credentials (restartIce()); the checks run once the answer is in. */
  async restartIceOffer(): Promise<string> {
    this.pc.restartIce();
    this.#restarting = true;
    return this.offer();
  }

  /** Applies a relay → client message. */
  async receive(message: RelayServerMessage): Promise<void> {
    switch (message.type) {
      case 'relay-answer':
        await this.pc.setRemoteDescription({ type: 'answer', sdp: message.sdp });
        if (this.#restarting) {
          this.#restarting = false;
          for (const t of this.pc.dtlsTransports) if (t.state === 'connected') void t.iceTransport.connection.connect().catch(() => {});
        }
        return;
      case 'relay-candidate':
        await this.pc.addIceCandidate(message.candidate ? toInit(message.candidate) : null);
        return;
      case 'slots':
        this.lastSlots = message;
        this.slotsHistory.push(message);
        return;
      case 'speaker':
        this.speakers.push(message.sessionId);
        return;
      case 'paused':
        this.paused.push({ ...message, at: Date.now() });
        return;
      case 'relay-reoffer':
        this.reoffers++;
        return;
    }
  }

  /** Who the last `slots` message puts in `mid`. */
  occupant(mid: string): string | null {
    const s = this.lastSlots;
    return s?.audio.find((x) => x.mid === mid)?.sessionId ?? s?.video.find((x) => x.mid === mid)?.sessionId ?? null;
  }

  /** What arrived from the publisher with `tag`, summed over slots of `kind`. */
  from(tag: number, kind: 'audio' | 'video'): Received {
    const sum: Received = { packets: 0, keyframes: 0, audioLevels: [], lastAt: 0 };
    for (const t of this.slots[kind]) {
      const r = t.mid ? this.received.get(t.mid)?.get(tag) : undefined;
      if (!r) continue;
      sum.packets += r.packets;
      sum.keyframes += r.keyframes;
      sum.audioLevels.push(...r.audioLevels);
      sum.lastAt = Math.max(sum.lastAt, r.lastAt);
    }
    return sum;
  }

  startPublishing(): void {
    const ssrcA = this.audio.sender.ssrc;
    const levelId = this.audio.headerExtensions.find((e) => e.uri === AUDIO_LEVEL_URI)?.id;
    this.#timers.push(
      setInterval(() => {
        const seq = this.#seq.audio++ & 0xffff;
        const level = this.media.audioLevel ?? 0x80 | this.tag;
        const extensions = levelId === undefined ? [] : [{ id: levelId, payload: Buffer.from([level]) }];
        const header = new RtpHeader({ payloadType: 111, sequenceNumber: seq, timestamp: seq * 960, ssrc: ssrcA, marker: false, extension: extensions.length > 0, extensions });
        this.#audioTrack.writeRtp(new RtpPacket(header, Buffer.from([0xfc, this.tag, 0xff, 0xfe, 0xfd])));
      }, 20),
      setInterval(() => {
        const key = this.#frames++ % 30 === 0 || this.#keyframeNext;
        this.#keyframeNext = false;
        const seq = this.#seq.video++ & 0xffff;
        const header = new RtpHeader({ payloadType: 96, sequenceNumber: seq, timestamp: seq * 3000, ssrc: this.video.sender.ssrc, marker: true });
        // VP8 descriptor (S=1, partition 0), then the frame tag: P bit clear on keyframes + start code.
        const payload = Buffer.alloc(Math.max(10, this.media.videoBytes ?? 0), 0xbb);
        payload.set([0x10, key ? 0x00 : 0x01, 0x00, 0x00, 0x9d, 0x01, 0x2a, this.tag, 0xaa]);
        this.#videoTrack.writeRtp(new RtpPacket(header, payload));
      }, 33),
    );
  }

  /**
   * Sends one VP8-like keyframe packet on the camera, tagged `tag`, in simulcast layer `rid` (see
   * simulcastOffer), as a browser's simulcast encoding does: its own SSRC and sequence numbers, the rid
   * extension naming the layer. werift's sender would stamp its one SSRC on every layer, so the packet
   * goes to the DTLS transport, which seals it as it is.
   */
  writeLayer(rid: string, tag: number): void {
    const layer = this.#layers.get(rid) ?? { ssrc: 0x5100_0000 + this.#layers.size, seq: 5000 };
    this.#layers.set(rid, { ...layer, seq: layer.seq + 1 });
    const seq = layer.seq & 0xffff;
    const extensions = [{ id: RID_EXTENSION_ID, payload: Buffer.from(rid) }];
    const payloadType = this.video.sender.codec?.payloadType ?? 96;
    const header = new RtpHeader({ payloadType, sequenceNumber: seq, timestamp: seq * 3000, ssrc: layer.ssrc, marker: true, extension: true, extensions });
    void this.pc.dtlsTransports[0]?.sendRtp(Buffer.from([0x10, 0x00, 0x00, 0x00, 0x9d, 0x01, 0x2a, tag]), header);
  }

  /** Tells the relay, as a browser's REMB does, that at most `bps` can reach us (about every slot media has arrived in). */
  async sendRemb(bps: number): Promise<void> {
    const ssrcs = [...this.streams.values()].flatMap((s) => [...s.ssrcs]);
    const exp = Math.max(0, Math.ceil(Math.log2(Math.max(1, bps) / 0x3ffff)));
    const remb = new ReceiverEstimatedMaxBitrate({ senderSsrc: this.video.sender.ssrc, mediaSsrc: 0, ssrcNum: ssrcs.length, brExp: exp, brMantissa: Math.floor(bps / 2 ** exp), ssrcFeedbacks: ssrcs });
    await this.pc.dtlsTransports[0]?.sendRtcp([new RtcpPayloadSpecificFeedback({ feedback: remb })]);
  }

  stopPublishing(): void {
    for (const t of this.#timers) clearInterval(t);
    this.#timers = [];
  }

  async close(): Promise<void> {
    this.stopPublishing();
    await this.pc.close();
  }

  #record(mid: string, kind: string, rtp: RtpPacket): void {
    const stream = this.streams.get(mid) ?? { packets: 0, ssrcs: new Set<number>(), lastSeq: -1, jumps: 0 };
    this.streams.set(mid, stream);
    if (stream.lastSeq >= 0 && rtp.header.sequenceNumber !== ((stream.lastSeq + 1) & 0xffff)) stream.jumps++;
    stream.lastSeq = rtp.header.sequenceNumber;
    stream.ssrcs.add(rtp.header.ssrc);
    stream.packets++;
    const tag = kind === 'audio' ? rtp.payload[1] : rtp.payload[7];
    if (tag === undefined) return;
    const byTag = this.received.get(mid) ?? new Map<number, Received>();
    this.received.set(mid, byTag);
    const r = byTag.get(tag) ?? { packets: 0, keyframes: 0, audioLevels: [], lastAt: 0 };
    byTag.set(tag, r);
    r.packets++;
    r.lastAt = Date.now();
    if (kind === 'video' && (rtp.payload[1]! & 1) === 0) r.keyframes++;
    if (kind === 'audio') {
      const id = this.slots.audio.find((t) => t.mid === mid)?.headerExtensions.find((e) => e.uri === AUDIO_LEVEL_URI)?.id;
      const ext = rtp.header.extensions.find((e) => e.id === id);
      if (ext?.payload[0] !== undefined && r.audioLevels.length < 8) r.audioLevels.push(ext.payload[0] & 0x7f);
    }
  }
}

/** The rid header extension id that simulcastOffer() declares. */
export const RID_EXTENSION_ID = 9;

/**
 * Turns the m-section `mid` of an offer into an RFC 8853 simulcast send section with `rids`, the way
 * browsers write one (rid lines, no a=ssrc). werift can't send simulcast, so the layers then come
 * from writeLayer(), one SSRC per layer, each told apart by the rid extension.
 */
export function simulcastOffer(sdp: string, mid: string, rids: string[]): string {
  return sdp
    .split('m=')
    .map((section) => {
      if (!section.includes(`a=mid:${mid}\r\n`)) return section;
      const lines = [
        `a=mid:${mid}`,
        `a=extmap:${RID_EXTENSION_ID} urn:ietf:params:rtp-hdrext:sdes:rtp-stream-id`,
        ...rids.map((rid) => `a=rid:${rid} send`),
        `a=simulcast:send ${rids.join(';')}`,
      ];
      return section.split('\r\n').filter((l) => !l.startsWith('a=ssrc')).join('\r\n').replace(`a=mid:${mid}\r\n`, `${lines.join('\r\n')}\r\n`);
    })
    .join('m=');
}

function toInit(c: IceCandidate) {
  return { candidate: c.candidate, sdpMid: c.sdpMid ?? undefined, sdpMLineIndex: c.sdpMLineIndex ?? undefined };
}
