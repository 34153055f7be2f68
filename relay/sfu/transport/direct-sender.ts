/**
 * The direct send path of one RelayPeer: finished RTP bytes → SRTP → the ICE connection, without
 * werift's RTCRtpSender.
 *
 * What `RTCRtpSender.sendRtp` does per packet, and why the relay doesn't need it: it parses the buffer
 * into an RtpPacket, rewrites SSRC/PT/seq/ts and rebuilds the extension list (the forwarder already
 * wrote the slot's SSRC, PT, munged seq/ts and extensions), keeps the packet for NACKs (retransmit.ts
 * does that, once per stream), computes an NTP time through strings and BigInt for its reports (here:
 * a number per packet, sender-report.ts), then serialises the header again for SRTP (srtp-sealer.ts
 * seals the bytes as they are). What stays werift's: the DTLS transport's SRTP keys and rollover state,
 * the ICE connection (its nominated pair and socket), SRTCP for the reports.
 *
 * abs-send-time: a packet carrying the slot's element (rewriteForSlot puts it first) is stamped with
 * the send clock just before sealing, so the subscriber's estimator sees when it really left, NACK
 * resends included (forward/abs-send-time.ts). Three bytes written in place; nothing allocated.
 *
 * werift keeps nothing we give it here: the sealer reads the bytes and returns the header (a view of
 * them) with a fresh encrypted payload and tag, which only the socket holds until the datagram is out
 * (so the caller's bytes must not be reused before that: the forwarder's are fresh per delivery). The peer's send statistics (`bytesSent`,
 * `packetsSent` on the transport, read by getStats) are kept up to date as werift's sendRtp would.
 */
import {
  RtcpSenderInfo,
  RtcpSourceDescriptionPacket,
  RtcpSrPacket,
  SourceDescriptionChunk,
  SourceDescriptionItem,
} from 'werift';
import type { RTCDtlsTransport, RTCRtpTransceiver, RtcpPacket, SrtpSession } from 'werift';
import { absSendTime, rtpHeaderLength, stampAbsSendTime } from '../forward/index.ts';
import { iceSend } from './ice-send.ts';
import { RtpSealer } from './srtp-sealer.ts';
import { SlotSendStats, senderInfo } from './sender-report.ts';

export type DirectSenderOptions = {
  /** Sender report interval, ms (default 1000; RFC 3550 lets a few-stream sender report about that often). */
  reportMs?: number;
  now?: () => number;
  /** The abs-send-time clock, ms, any origin (default performance.now: monotonic, sub-millisecond). */
  sendClock?: () => number;
};

const noop = () => {};
/** Sender reports per compound RTCP packet: 16 × (28-byte SR + ~24-byte SDES chunk) ≈ 830 bytes. */
const REPORTS_PER_PACKET = 16;

export class DirectSender {
  readonly drops = { 'not-connected': 0, malformed: 0 };
  readonly #sealers = new WeakMap<RTCDtlsTransport, { session: SrtpSession; sealer: RtpSealer }>();
  readonly #stats = new Map<number, SlotSendStats>();
  readonly #now: () => number;
  readonly #sendClock: () => number;
  readonly #timer: NodeJS.Timeout;

  /** `slots` lists the peer's current send transceivers, for the reports. */
  constructor(readonly slots: () => Iterable<RTCRtpTransceiver>, options: DirectSenderOptions = {}) {
    this.#now = options.now ?? Date.now;
    this.#sendClock = options.sendClock ?? (() => performance.now());
    this.#timer = setInterval(() => this.report(), options.reportMs ?? 1000);
    this.#timer.unref();
  }

  /**
   * Seals and sends one RTP packet of slot `t`, stamping its abs-send-time element `absSendTimeId`
   * (0: none) first. False (counted) when not connected yet or not RTP.
   */
  send(t: RTCRtpTransceiver, bytes: Uint8Array, absSendTimeId = 0): boolean {
    const transport = t.dtlsTransport;
    const sealer = transport && transport.state === 'connected' ? this.#sealer(transport) : undefined;
    if (!sealer) {
      this.drops['not-connected']++;
      return false;
    }
    if (absSendTimeId > 0) stampAbsSendTime(bytes, absSendTimeId, absSendTime(this.#sendClock()));
    const sealed = sealer.sealParts(bytes);
    if (!sealed) {
      this.drops.malformed++;
      return false;
    }
    const length = bytes.length + sealer.overhead;
    if (!iceSend(transport.iceTransport.connection, sealed, length)) {
      this.drops['not-connected']++;
      return false;
    }
    transport.bytesSent += length;
    transport.packetsSent++;
    const ssrc = t.sender.ssrc;
    let stats = this.#stats.get(ssrc);
    if (!stats) {
      stats = new SlotSendStats(ssrc, t.sender.codec?.clockRate ?? 90_000);
      this.#stats.set(ssrc, stats);
    }
    const ts = ((bytes[4]! << 24) | (bytes[5]! << 16) | (bytes[6]! << 8) | bytes[7]!) >>> 0;
    stats.sent(ts, bytes.length - rtpHeaderLength(bytes), this.#now());
    return true;
  }

  /**
   * Sends a sender report for each slot that sent, with its CNAME (RFC 3550 compound packets want one):
   * all of a transport's slots in one compound packet (up to REPORTS_PER_PACKET of them, well within
   * the MTU), so a subscriber with 28 slots costs one SRTCP packet a second, not 28 (at 150
   * participants, per-slot reports were 5 % of the relay's CPU).
   */
  report(): void {
    const now = this.#now();
    // Per transport, each slot's report with its CNAME chunk (if werift negotiated one).
    const byTransport = new Map<RTCDtlsTransport, Array<{ report: RtcpSrPacket; chunk?: SourceDescriptionChunk }>>();
    for (const t of this.slots()) {
      const stats = this.#stats.get(t.sender.ssrc);
      const info = stats && senderInfo(stats, now);
      const transport = t.dtlsTransport;
      if (!info || transport?.state !== 'connected') continue;
      let batch = byTransport.get(transport);
      if (!batch) byTransport.set(transport, (batch = []));
      // werift's sender keeps the CNAME it negotiated private; its reports carry it, so ours do too.
      const cname = (t.sender as unknown as { cname?: string }).cname;
      batch.push({
        report: new RtcpSrPacket({ ssrc: t.sender.ssrc, senderInfo: new RtcpSenderInfo(info) }),
        ...(cname ? { chunk: new SourceDescriptionChunk({ source: t.sender.ssrc, items: [new SourceDescriptionItem({ type: 1, text: cname })] }) } : {}),
      });
    }
    for (const [transport, batch] of byTransport) {
      for (let i = 0; i < batch.length; i += REPORTS_PER_PACKET) {
        const part = batch.slice(i, i + REPORTS_PER_PACKET);
        const packets: RtcpPacket[] = part.map((e) => e.report);
        const chunks = part.flatMap((e) => (e.chunk ? [e.chunk] : []));
        if (chunks.length > 0) packets.push(new RtcpSourceDescriptionPacket({ chunks }));
        transport.sendRtcp(packets).catch(noop);
      }
    }
  }

  close(): void {
    clearInterval(this.#timer);
  }

  /** The sealer of a transport's current SRTP session (werift makes the session once DTLS is up). */
  #sealer(transport: RTCDtlsTransport): RtpSealer | undefined {
    const session = transport.srtp as SrtpSession | undefined;
    if (!session) return undefined;
    const known = this.#sealers.get(transport);
    if (known?.session === session) return known.sealer;
    const sealer = new RtpSealer(session.localContext);
    this.#sealers.set(transport, { session, sealer });
    return sealer;
  }
}
