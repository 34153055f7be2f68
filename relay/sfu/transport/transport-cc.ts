/**
 * Transport-wide congestion control feedback to publishers, on werift (the format and bookkeeping:
 * ../congestion/transport-cc.ts).
 *
 * Negotiation: the relay accepts the transport-wide sequence number extension (on its receive slots too,
 * where the forwarder never writes it: Chrome offers an m-section added later only the extensions
 * accepted before, and its camera may come after the slots), and its answer says `a=rtcp-fb:<pt> transport-cc` on those m-sections, which is what makes a browser number
 * its packets and run its delay-based estimator on our feedback. werift copies that line from the offer,
 * and a receiver whose codec lists it may start werift's own generator (ReceiverTWCC), one per
 * m-section, each seeing only its m-section's packets: it would report every number another m-section
 * carried as lost (and it costs an object key per packet and a sort per report). So werift's is switched off (withoutWeriftTransportCc) and the
 * line goes into the answer's text instead, as opus-dtx.ts does for DTX.
 *
 * Reporting: one reporter per DTLS transport (with BUNDLE, one per peer) reads the extension off every
 * RTP packet werift decrypts (the transport's own event: packets of every publication, before any
 * routing) and every packet rtp-intake.ts takes past werift (`received`), and every 100 ms sends what arrived since the last report in one SRTCP packet (libwebrtc's
 * receivers report every 50–250 ms, 100 ms by default).
 */
import { randomInt } from 'node:crypto';
import type { RTCDtlsTransport, RTCRtpTransceiver, RtpPacket } from 'werift';
import { TRANSPORT_CC_URI, TransportCcFeedback } from '../congestion/transport-cc.ts';
import { RtpHeader } from '../select/rtp-header.ts';
import { editReceivedSections } from './received-sections.ts';
import { sendRtcpBytes } from './rtcp-bytes.ts';

export { TRANSPORT_CC_URI };

/** The answer with `a=rtcp-fb:<pt> transport-cc` on every format of each `recvonly` m-section that negotiated the extension. */
export function withTransportCcFeedback(sdp: string): string {
  return editReceivedSections(sdp, (section, eol) => {
    if (!section.includes(TRANSPORT_CC_URI)) return section;
    let out = section;
    for (const [, pt] of section.matchAll(/^a=rtpmap:(\d+) /gm)) {
      if (new RegExp(`^a=rtcp-fb:${pt} transport-cc\\s*$`, 'm').test(out)) continue;
      out = out.replace(new RegExp(`^(a=rtpmap:${pt} [^\\r\\n]*)`, 'm'), `$1${eol}a=rtcp-fb:${pt} transport-cc`);
    }
    return out;
  });
}

/**
 * Keeps werift's own feedback generator off a transceiver: the offer's `transport-cc` (which werift
 * copies into the transceiver's codecs and its answer) is taken out of them, and a generator werift
 * already made while applying the offer is dropped. On a receive slot the line would mean nothing
 * (the extension isn't negotiated there), so it goes too. Call after setRemoteDescription, before the answer
 * (withTransportCcFeedback puts the line back into its text). werift internals, guarded: a werift
 * without them is left as it is.
 */
export function withoutWeriftTransportCc(t: RTCRtpTransceiver): void {
  const strip = (c: { rtcpFeedback?: Array<{ type: string }> }) => {
    if (Array.isArray(c.rtcpFeedback)) c.rtcpFeedback = c.rtcpFeedback.filter((f) => f.type !== 'transport-cc');
  };
  t.codecs.forEach(strip);
  const receiver = t.receiver as unknown as { codecs?: Record<number, { rtcpFeedback?: Array<{ type: string }> }>; receiverTWCC?: { twccRunning?: boolean } };
  Object.values(receiver.codecs ?? {}).forEach(strip);
  if (receiver.receiverTWCC) {
    receiver.receiverTWCC.twccRunning = false;
    receiver.receiverTWCC = undefined;
  }
}

export type TransportCcOptions = {
  intervalMs?: number;
  /** Arrival clock, µs, monotonic (default performance.now). */
  clockUs?: () => number;
};

export class TransportCcReporter {
  /**
   * The extension's negotiated ids, from every publication's m-section (nothing is recorded while
   * empty). Browsers use one id for all of them; werift one per media kind. BUNDLE forbids an id that
   * means this extension in one m-section and another in the next (RFC 8843 §9.2), so one set is safe.
   */
  readonly extensionIds = new Set<number>();
  readonly #feedback = new TransportCcFeedback();
  readonly #senderSsrc = randomInt(1, 0xffff_ffff);
  #mediaSsrc = 0;
  readonly #clockUs: () => number;
  readonly #timer: NodeJS.Timeout;
  readonly #unsubscribe: () => void;
  readonly #view = new RtpHeader();

  constructor(
    readonly transport: RTCDtlsTransport,
    options: TransportCcOptions = {},
  ) {
    this.#clockUs = options.clockUs ?? (() => performance.now() * 1000);
    this.#unsubscribe = transport.onRtp.subscribe((rtp) => this.#onRtp(rtp)).unSubscribe;
    this.#timer = setInterval(() => this.report(), options.intervalMs ?? 100);
    this.#timer.unref();
  }

  /** Sends the feedback for what arrived since the last report, if anything did. */
  report(): void {
    if (this.transport.state !== 'connected') return;
    sendRtcpBytes(this.transport, this.#feedback.take(this.#senderSsrc, this.#mediaSsrc));
  }

  close(): void {
    clearInterval(this.#timer);
    this.#unsubscribe();
  }

  /** A packet that bypassed werift's receive path (rtp-intake.ts), as its decrypted bytes. */
  received(bytes: Uint8Array): void {
    const ids = this.extensionIds;
    if (ids.size === 0 || !this.#view.wrap(bytes)) return;
    for (const id of ids) {
      const at = this.#view.findExtension(id);
      if (at < 0 || this.#view.foundLength < 2) continue;
      this.#feedback.received((bytes[at]! << 8) | bytes[at + 1]!, this.#clockUs());
      if (this.#mediaSsrc === 0) this.#mediaSsrc = this.#view.ssrc;
      return;
    }
  }

  #onRtp(rtp: RtpPacket): void {
    const ids = this.extensionIds;
    if (ids.size === 0) return;
    for (const e of rtp.header.extensions) {
      if (!ids.has(e.id) || e.payload.length < 2) continue;
      this.#feedback.received((e.payload[0]! << 8) | e.payload[1]!, this.#clockUs());
      if (this.#mediaSsrc === 0) this.#mediaSsrc = rtp.header.ssrc;
      return;
    }
  }
}
