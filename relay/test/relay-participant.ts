/**
 * A participant in relay mode for tests, doing over the real signalling socket what the browser client
 * will do: a SignalClient for the room, and a TestClient (relay/sfu/transport/test-client.ts, a werift
 * stand-in for the browser's RTCPeerConnection) that offers to the relay with `relay-offer`, trickles
 * its candidates with `relay-candidate`, and applies `relay-answer`, `relay-candidate` and `slots`.
 * Relay messages are applied one at a time, in order, so a candidate never overtakes its answer.
 */
import { TestClient } from '../sfu/transport/test-client.ts';
import type { ModeMessage, ServerMessage } from '../signal/protocol.ts';
import type { Joined } from './harness.ts';
import { SignalClient, signalUrl } from './signal-client.ts';
import { within } from './wait.ts';

export class RelayParticipant {
  client: TestClient | undefined;
  welcome: Extract<ServerMessage, { type: 'welcome' }> | undefined;
  /** Every mode the relay announced (the welcome's first), in order. */
  readonly modes: ModeMessage[] = [];
  readonly relayErrors: string[] = [];
  #applying: Promise<void> = Promise.resolve();
  #pendingCandidates: ServerMessage[] = [];
  #offered = false;

  private constructor(
    readonly signal: SignalClient,
    readonly sessionId: string,
    readonly tag: number,
    readonly slots: { audio: number; video: number },
  ) {
    signal.onMessage = (m) => this.#onMessage(m);
    // Frames that arrived with the socket's opening, before the handler was set (the welcome).
    for (const m of signal.queue) this.#onMessage(m);
  }

  static async join(wsBase: string, joined: Joined, sessionId: string, tag: number, slots = { audio: 4, video: 4 }): Promise<RelayParticipant> {
    const signal = await SignalClient.connect(signalUrl(wsBase, joined.roomId, joined.token, sessionId));
    const p = new RelayParticipant(signal, sessionId, tag, slots);
    await signal.next('welcome');
    return p;
  }

  get mode(): ModeMessage | undefined {
    return this.modes.at(-1);
  }

  /** Offers (the first time: creates the peer connection) for the switch of `epoch`; resolves on the answer. */
  async offer(epoch: number): Promise<void> {
    if (!this.client) {
      const client = new TestClient(this.sessionId, this.tag, this.slots);
      client.pc.onIceCandidate.subscribe((c) => {
        if (!c) return;
        const candidate = { candidate: c.candidate, sdpMid: c.sdpMid ?? null, sdpMLineIndex: c.sdpMLineIndex ?? null };
        // Candidates gathered before the offer is on its way would reach a relay with no peer yet.
        if (this.#offered) this.signal.send({ type: 'relay-candidate', candidate });
        else this.#pendingCandidates.push({ type: 'relay-candidate', candidate });
      });
      this.client = client;
    }
    const answered = this.signal.next('relay-answer', 8000);
    this.signal.send({ type: 'relay-offer', sdp: await this.client.offer(), epoch });
    this.#offered = true;
    for (const m of this.#pendingCandidates.splice(0)) if (m.type === 'relay-candidate') this.signal.send(m);
    await answered;
    await within(this.#applying, 5000, `${this.sessionId} applying the answer`);
  }

  ack(epoch: number): void {
    this.signal.send({ type: 'mode-ack', epoch });
  }

  /** Waits for a `mode` message matching `where` (already received ones count). */
  async nextMode(where: (m: ModeMessage) => boolean, timeoutMs = 8000): Promise<ModeMessage> {
    const seen = this.modes.find(where);
    if (seen) return seen;
    return this.signal.next('mode', timeoutMs, where);
  }

  async leave(): Promise<void> {
    this.signal.send({ type: 'leave' });
    await this.signal.waitClosed();
    await this.closeRelay();
  }

  async closeRelay(): Promise<void> {
    const client = this.client;
    this.client = undefined;
    this.#offered = false;
    await client?.close();
  }

  async close(): Promise<void> {
    await this.closeRelay();
    await this.signal.close();
  }

  #onMessage(m: ServerMessage): void {
    switch (m.type) {
      case 'welcome':
        this.welcome = m;
        this.modes.push(m.mode);
        return;
      case 'mode':
        this.modes.push(m);
        return;
      case 'relay-answer':
      case 'relay-candidate':
      case 'slots':
      case 'speaker': {
        const client = this.client;
        if (!client) return;
        this.#applying = this.#applying.then(() => client.receive(m)).catch((err: Error) => void this.relayErrors.push(err.message));
        return;
      }
      case 'error':
        if (m.code === 'relay-failed' || m.code === 'wrong-mode') this.relayErrors.push(`${m.code}: ${m.message}`);
        return;
      default:
        return;
    }
  }
}
