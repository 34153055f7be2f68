/**
 * A stock y-websocket `WebsocketProvider` as a browser would open it (`ws://host/yjs` + room + token),
 * wrapped for tests: bounded waits for `synced`, the close code of a refusal, and the reasons of the
 * relay's permission-denied frames (y-protocols auth), which the stock provider would only log.
 */
import WebSocket from 'ws';
import * as Y from 'yjs';
import { WebsocketProvider } from 'y-websocket';
import * as authProtocol from 'y-protocols/auth';
import type * as decoding from 'lib0/decoding';
import { waitUntil } from './wait.ts';

export type YjsClient = {
  doc: Y.Doc;
  provider: WebsocketProvider;
  /** Reasons of permission-denied frames received. */
  denied: string[];
  /** Close codes of every socket the provider saw closed by the other end. */
  closes: number[];
  /** The first close that the provider will not retry (4400–4499), once it happened. */
  refusal(): { code: number; reason: string } | undefined;
  waitSynced(timeoutMs?: number): Promise<void>;
  waitRefused(timeoutMs?: number): Promise<{ code: number; reason: string }>;
  destroy(): void;
};

const MSG_AUTH = 2;

export function yjsClient(wsBase: string, roomId: string, token: string): YjsClient {
  const doc = new Y.Doc();
  // disableBc: two providers of one room in one process would otherwise sync over a BroadcastChannel
  // without the relay, and a sync test would pass with the relay doing nothing.
  const provider = new WebsocketProvider(`${wsBase}/yjs`, roomId, doc, {
    WebSocketPolyfill: WebSocket as unknown as typeof globalThis.WebSocket,
    params: { token },
    disableBc: true,
  });
  const denied: string[] = [];
  provider.messageHandlers[MSG_AUTH] = (_encoder, decoder: decoding.Decoder) => {
    authProtocol.readAuthMessage(decoder, doc, (_doc, reason) => denied.push(reason));
  };
  let refused: { code: number; reason: string } | undefined;
  provider.on('closed', (event) => (refused ??= { code: event.code, reason: event.reason }));
  const closes: number[] = [];
  provider.on('connection-close', (event) => event && closes.push(event.code));
  let destroyed = false;
  return {
    doc,
    provider,
    denied,
    closes,
    refusal: () => refused,
    async waitSynced(timeoutMs = 5000) {
      await waitUntil(() => provider.synced, timeoutMs, `Yjs provider of ${roomId} to sync`, () => `denied=${JSON.stringify(denied)}, refused=${refused?.code}`);
    },
    async waitRefused(timeoutMs = 5000) {
      await waitUntil(() => refused !== undefined, timeoutMs, `Yjs provider of ${roomId} to be refused`, () => `synced=${provider.synced}, denied=${JSON.stringify(denied)}`);
      return refused!;
    },
    destroy() {
      if (destroyed) return;
      destroyed = true;
      provider.destroy();
      doc.destroy(); // also stops the awareness' interval timer
    },
  };
}
