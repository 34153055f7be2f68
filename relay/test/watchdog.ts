/**
 * A watchdog for tests that run the relay in the test's own process: if a frame makes the relay spin,
 * the event loop stops and no timeout of ours can fire. A worker thread watches a heartbeat in shared
 * memory; after `stallMs` without one it writes the last frames sent (hex, straight to fd 2, since the
 * main thread cannot relay the worker's stdout) and kills the process, so the run fails loudly instead
 * of hanging.
 */
import { Worker } from 'node:worker_threads';

const SLOTS = 32;
const SLOT_BYTES = 4096;
const HEADER = 12; // int32 length, int32 channel + 1 (0: empty slot), int32 sequence

const WORKER = `
const { workerData } = require('node:worker_threads');
const { writeSync } = require('node:fs');
const { beat, ring, slots, slotBytes, header, stallMs, title } = workerData;
const clock = new BigInt64Array(beat);
setInterval(() => {
  const last = Number(Atomics.load(clock, 0));
  if (last === 0 || Date.now() - last < stallMs) return;
  const lines = ['', 'WATCHDOG: the event loop has been blocked for ' + (Date.now() - last) + ' ms (' + title + ')', 'last frames sent, oldest first:'];
  const view = new DataView(ring);
  const entries = [];
  for (let i = 0; i < slots; i++) {
    const at = i * (header + slotBytes);
    const length = view.getInt32(at), channel = view.getInt32(at + 4), seq = view.getInt32(at + 8);
    if (channel > 0) entries.push({ seq, channel, length, bytes: Buffer.from(ring, at + header, Math.min(length, slotBytes)) });
  }
  entries.sort((a, b) => a.seq - b.seq);
  for (const e of entries) lines.push('#' + e.seq + ' ' + (e.channel === 1 ? 'signal' : 'yjs') + ' ' + e.length + ' bytes: ' + e.bytes.toString('hex'));
  writeSync(2, lines.join('\\n') + '\\n');
  process.kill(process.pid, 'SIGKILL');
}, 250);
`;

export class Watchdog {
  readonly #beat = new SharedArrayBuffer(8);
  readonly #ring = new SharedArrayBuffer(SLOTS * (HEADER + SLOT_BYTES));
  readonly #worker: Worker;
  readonly #timer: NodeJS.Timeout;
  #seq = 0;

  constructor(stallMs: number, title: string) {
    const clock = new BigInt64Array(this.#beat);
    const beat = () => Atomics.store(clock, 0, BigInt(Date.now()));
    beat();
    this.#timer = setInterval(beat, 100);
    this.#timer.unref();
    this.#worker = new Worker(WORKER, {
      eval: true,
      workerData: { beat: this.#beat, ring: this.#ring, slots: SLOTS, slotBytes: SLOT_BYTES, header: HEADER, stallMs, title },
    });
    this.#worker.unref();
  }

  /** Records a frame about to be sent on channel 0 (signalling) or 1 (Yjs). */
  note(channel: 0 | 1, frame: string | Uint8Array): void {
    const bytes = typeof frame === 'string' ? Buffer.from(frame) : frame;
    const at = (this.#seq % SLOTS) * (HEADER + SLOT_BYTES);
    const view = new DataView(this.#ring);
    view.setInt32(at, bytes.length);
    view.setInt32(at + 4, channel + 1);
    view.setInt32(at + 8, this.#seq++);
    new Uint8Array(this.#ring, at + HEADER, SLOT_BYTES).set(bytes.subarray(0, SLOT_BYTES));
  }

  /** The recorded frames, oldest first, as `#seq channel length: hex` lines (first 256 bytes; for failure messages). */
  recent(): string[] {
    const view = new DataView(this.#ring);
    const out: { seq: number; line: string }[] = [];
    for (let i = 0; i < SLOTS; i++) {
      const at = i * (HEADER + SLOT_BYTES);
      const length = view.getInt32(at);
      if (view.getInt32(at + 4) === 0) continue;
      const seq = view.getInt32(at + 8);
      const hex = Buffer.from(this.#ring, at + HEADER, Math.min(length, 256)).toString('hex') + (length > 256 ? '…' : '');
      out.push({ seq, line: `#${seq} ${view.getInt32(at + 4) === 1 ? 'signal' : 'yjs'} ${length} bytes: ${hex}` });
    }
    return out.sort((a, b) => a.seq - b.seq).map((e) => e.line);
  }

  async stop(): Promise<void> {
    clearInterval(this.#timer);
    await this.#worker.terminate();
  }
}
