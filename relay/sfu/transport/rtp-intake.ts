/**
 * The relay's own receive path for the RTP publishers send, taking over from werift's once a stream's
 * SSRC is known.
 *
 * werift hands every incoming datagram through a chain of events (socket → ICE → DTLS transport →
 * router → receiver → track), parses it into objects (RtpPacket, header extensions), clones it for the
 * track, and each event dispatch starts a promise. A publisher's packet is opened once and fanned out
 * to every subscriber, so all of that is paid once per packet sent to the room. Here a packet of a
 * claimed SSRC goes from the ICE connection straight to the room: SRTP opened by the transport's
 * RtpUnsealer (srtp-unsealer.ts), the transport-wide number recorded (transport-cc.ts), the stream's
 * statistics and losses kept (../receive), the bytes delivered. Everything else (DTLS, RTCP, packets
 * of SSRCs not claimed yet, so the first packets of a stream, which werift's router matches to its
 * simulcast layer by rid) takes werift's path unchanged.
 *
 * What werift's receiver did for these streams, this does, as a receiver should (RFC 3550, RFC 4585):
 * - receiver reports every `reportIntervalMs` (randomised ×0.5–1.5, RFC 3550 §6.3.1), with LSR/DLSR
 *   from the publisher's sender reports, which still arrive through werift's RTCP path;
 * - generic NACKs for lost video packets (../receive/nack-requester.ts: at once, then every 100 ms,
 *   10 tries). werift's receiver for a claimed SSRC is told to forget it, so it doesn't report a stream
 *   it no longer sees.
 *
 * The hook is the ICE connection's `onData` event, which werift keeps across ICE restarts (the agent
 * restarts on the same connection object and sockets), so nothing needs hooking again after one.
 * The transport's received counters are kept as werift would.
 */
import { randomInt } from 'node:crypto';
import type { RTCDtlsTransport, RtcpPacket } from 'werift';
import { isRtpDatagram, readRtpSeq, readRtpSsrc, readRtpTimestamp } from '../forward/index.ts';
import { NackRequester } from '../receive/nack-requester.ts';
import { genericNack, receiverReports } from '../receive/rtcp-out.ts';
import { StreamStats } from '../receive/stream-stats.ts';
import { sendRtcpBytes } from './rtcp-bytes.ts';
import type { RtpUnsealer } from './srtp-unsealer.ts';
import type { TransportCcReporter } from './transport-cc.ts';

export type IntakeStream = {
  ssrc: number;
  clockRate: number;
  /** Whether to request lost packets (the m-section negotiated `nack`). */
  nack: boolean;
  /** The packet's decrypted bytes, a fresh buffer the callee may keep. */
  deliver: (bytes: Uint8Array) => void;
};

export type RtpIntakeOptions = {
  /** Where transport-wide sequence numbers go (read when each packet arrives: the reporter may change). */
  transportCc?: () => TransportCcReporter | undefined;
  reportIntervalMs?: number;
  nackRetryMs?: number;
  /** Monotonic milliseconds (default performance.now). */
  nowMs?: () => number;
};

type Stream = IntakeStream & { stats: StreamStats; losses: NackRequester | undefined };
type OnData = { execute: (data: Buffer) => void };

/** Numbers to NACK in one request at most: the rest stay due for the next round. */
const NACK_BATCH = 128;
const NACK_TICK_MS = 20;

export class RtpIntake {
  /** Dropped: failed authentication; threw on the way (a bug: the path is meant never to throw, and
   * werift's socket handler would swallow the error silently, so it is counted here). */
  readonly drops = { auth: 0, error: 0 };
  /** Packets taken past werift. */
  taken = 0;
  readonly #transport: RTCDtlsTransport;
  readonly #unsealer: RtpUnsealer;
  readonly #options: RtpIntakeOptions;
  readonly #streams = new Map<number, Stream>();
  readonly #senderSsrc = randomInt(1, 0xffff_ffff);
  readonly #now: () => number;
  readonly #unhook: () => void;
  readonly #unsubscribeRtcp: () => void;
  #reportTimer: NodeJS.Timeout | undefined;
  #nackTimer: NodeJS.Timeout | undefined;
  #nackQueued = false;
  #closed = false;

  constructor(transport: RTCDtlsTransport, unsealer: RtpUnsealer, options: RtpIntakeOptions = {}) {
    this.#transport = transport;
    this.#unsealer = unsealer;
    this.#options = options;
    this.#now = options.nowMs ?? (() => performance.now());
    const event = transport.iceTransport.connection.onData as unknown as OnData;
    const werift = event.execute; // a method (patched werift): called on the event, never detached
    const mine = (data: Buffer) => {
      if (!this.#take(data)) werift.call(event, data);
    };
    event.execute = mine;
    this.#unhook = () => {
      if (event.execute === mine) event.execute = werift;
    };
    this.#unsubscribeRtcp = transport.onRtcp.subscribe((p) => this.#onRtcp(p)).unSubscribe;
    this.#scheduleReport();
  }

  /** Takes a stream's packets from now on. */
  claim(stream: IntakeStream): void {
    if (this.#closed) return;
    this.#streams.set(stream.ssrc >>> 0, {
      ...stream,
      stats: new StreamStats(stream.ssrc, stream.clockRate),
      losses: stream.nack ? new NackRequester({ retryIntervalMs: this.#options.nackRetryMs }) : undefined,
    });
  }

  release(ssrc: number): void {
    this.#streams.delete(ssrc >>> 0);
  }

  close(): void {
    if (this.#closed) return;
    this.#closed = true;
    this.#unhook();
    this.#unsubscribeRtcp();
    clearTimeout(this.#reportTimer);
    clearInterval(this.#nackTimer);
    this.#streams.clear();
  }

  /** True when the datagram was one of ours (delivered, or dropped as inauthentic). */
  #take(data: Buffer): boolean {
    if (!isRtpDatagram(data)) return false;
    const stream = this.#streams.get(readRtpSsrc(data));
    if (!stream) return false;
    this.#transport.bytesReceived += data.length;
    this.#transport.packetsReceived++;
    const plain = this.#unsealer.unseal(data);
    if (!plain) {
      this.drops.auth++;
      return true;
    }
    this.taken++;
    try {
      const seq = readRtpSeq(plain);
      stream.stats.packet(seq, readRtpTimestamp(plain), this.#now());
      if (stream.losses?.packet(seq)) this.#queueNack();
      this.#options.transportCc?.()?.received(plain);
      stream.deliver(plain);
    } catch {
      this.drops.error++;
    }
    return true;
  }

  #onRtcp(packet: RtcpPacket): void {
    if (packet.type !== 200) return;
    const stream = this.#streams.get(packet.ssrc >>> 0);
    const ntp = packet.senderInfo.ntpTimestamp;
    stream?.stats.senderReport(Number(ntp >> 32n), Number(ntp & 0xffff_ffffn), this.#now());
  }

  /** The first request for a new gap goes once the packet that showed it has been handled. */
  #queueNack(): void {
    if (this.#nackQueued) return;
    this.#nackQueued = true;
    queueMicrotask(() => {
      this.#nackQueued = false;
      this.#sendNacks();
    });
    this.#nackTimer ??= setInterval(() => this.#sendNacks(), NACK_TICK_MS).unref();
  }

  #sendNacks(): void {
    if (this.#closed) return;
    const now = this.#now();
    const packets: Uint8Array[] = [];
    let pending = 0;
    for (const s of this.#streams.values()) {
      if (!s.losses?.pending) continue;
      const seqs = s.losses.due(now, NACK_BATCH);
      if (seqs.length > 0) packets.push(genericNack(this.#senderSsrc, s.ssrc, seqs));
      pending += s.losses.pending;
    }
    if (pending === 0) {
      clearInterval(this.#nackTimer);
      this.#nackTimer = undefined;
    }
    this.#send(packets);
  }

  #scheduleReport(): void {
    const base = this.#options.reportIntervalMs ?? 1000;
    this.#reportTimer = setTimeout(() => {
      this.#report();
      if (!this.#closed) this.#scheduleReport();
    }, base * (0.5 + Math.random())).unref();
  }

  #report(): void {
    const now = this.#now();
    const blocks = [...this.#streams.values()].flatMap((s) => s.stats.report(now) ?? []);
    if (blocks.length > 0) this.#send([receiverReports(this.#senderSsrc, blocks)]);
  }

  #send(packets: Uint8Array[]): void {
    if (this.#transport.state === 'connected') sendRtcpBytes(this.#transport, packets);
  }
}
