/**
 * The relay as the receiver of one participant's publications, on werift: transport-wide congestion
 * feedback about every packet (transport-cc.ts, one reporter per DTLS transport), and, once a
 * publication's first packet has come through werift and named its SSRC, the relay's own receive path
 * for it (rtp-intake.ts, one per DTLS transport, sharing the transport's RtpUnsealer).
 */
import type { RTCDtlsTransport, RTCRtpTransceiver } from 'werift';
import type { Publication } from './forwarder.ts';
import { RtpIntake } from './rtp-intake.ts';
import { useRtpUnsealer } from './srtp-unsealer.ts';
import { TRANSPORT_CC_URI, TransportCcReporter } from './transport-cc.ts';

export type ReceivePath = 'werift' | 'direct';

export class PublisherReceiver {
  #transportCc: TransportCcReporter | undefined;
  readonly #intakes = new Map<RTCDtlsTransport, RtpIntake>();
  #closed = false;

  /** 'direct': claimed streams skip werift's receive pipeline (rtp-intake.ts); 'werift': they don't. */
  constructor(readonly path: ReceivePath = 'direct') {}

  /** The transport's feedback reporter, told the extension id this publication's m-section negotiated. */
  watchTransportCc(t: RTCRtpTransceiver): void {
    const id = t.headerExtensions.find((e) => e.uri === TRANSPORT_CC_URI)?.id;
    const transport: RTCDtlsTransport | undefined = t.dtlsTransport;
    if (this.#closed || !id || !transport) return;
    if (this.#transportCc?.transport !== transport) {
      this.#transportCc?.close();
      this.#transportCc = new TransportCcReporter(transport);
    }
    this.#transportCc.extensionIds.add(id);
  }

  /** Takes a publication's stream (SSRC `ssrc`, in `t`'s m-section) past werift from its next packet on. */
  claim(t: RTCRtpTransceiver, ssrc: number, pub: Publication, deliver: (bytes: Uint8Array) => void): void {
    const transport = t.dtlsTransport;
    if (this.path === 'werift' || this.#closed || !transport) return;
    let intake = this.#intakes.get(transport);
    if (!intake) {
      const unsealer = useRtpUnsealer(transport);
      if (!unsealer) return;
      intake = new RtpIntake(transport, unsealer, { transportCc: () => this.#transportCc });
      this.#intakes.set(transport, intake);
    }
    const codec = t.codecs[0];
    const nack = pub.kind === 'video' && !!codec?.rtcpFeedback?.some((f) => f.type === 'nack' && !f.parameter);
    intake.claim({ ssrc, clockRate: codec?.clockRate ?? (pub.kind === 'audio' ? 48_000 : 90_000), nack, deliver });
    forgetStream(t, ssrc);
  }

  release(t: RTCRtpTransceiver, ssrc: number): void {
    this.#intakes.get(t.dtlsTransport)?.release(ssrc);
  }

  /** Packets taken past werift's receive path; of those, dropped as inauthentic, and that threw on the way (a bug). */
  counters(): { taken: number; authFailures: number; errors: number } {
    const sum = { taken: 0, authFailures: 0, errors: 0 };
    for (const i of this.#intakes.values()) (sum.taken += i.taken), (sum.authFailures += i.drops.auth), (sum.errors += i.drops.error);
    return sum;
  }

  close(): void {
    this.#closed = true;
    this.#transportCc?.close();
    for (const intake of this.#intakes.values()) intake.close();
    this.#intakes.clear();
  }
}

/** werift's receiver stops reporting a stream the intake took (its statistics would go stale); werift internals, guarded. */
function forgetStream(t: RTCRtpTransceiver, ssrc: number): void {
  const receiver = t.receiver as unknown as { remoteStreams?: Record<number, unknown>; rtcpRunning?: boolean };
  if (!receiver.remoteStreams) return;
  delete receiver.remoteStreams[ssrc];
  // After werift's handleRTP returns: it restarts its report loop when that flag is down.
  queueMicrotask(() => {
    if (receiver.remoteStreams && Object.keys(receiver.remoteStreams).length === 0) receiver.rtcpRunning = false;
  });
}
