import { once } from 'node:events';
import { createWriteStream, type WriteStream } from 'node:fs';
import { finished } from 'node:stream/promises';

const NEEDS_QUOTES = /[",\r\n]/;

/** RFC 4180 quoting, applied only when the value needs it so that plain values stay plain. */
export function csvField(value: string): string {
  return NEEDS_QUOTES.test(value) ? `"${value.replaceAll('"', '""')}"` : value;
}

/** A fen (CNY cent) amount as yuan with two decimals, without the cost and float noise of toFixed. */
export function formatCents(cents: number): string {
  const yuan = Math.floor(cents / 100);
  const fen = cents - yuan * 100;
  return `${yuan}.${fen < 10 ? '0' : ''}${fen}`;
}

/** Rows are concatenated into a short string first: one native encode call per batch, not per row. */
const BATCH_CHARS = 16 * 1024;
/** UTF-8 needs at most 3 bytes per UTF-16 code unit. */
const MAX_BYTES_PER_CHAR = 3;

/**
 * Streams one CSV file. Rows are encoded into a Buffer of about `chunkBytes` (default 2 MB) that is handed
 * to the file stream when full: one write per row would drown in per-call overhead, one write per file would
 * need the whole file in memory. Encoding early also matters for speed: a megabyte-long string built by `+=`
 * lives long enough to be promoted out of V8's young generation, and the garbage collector then dominated
 * the run. When the stream reports back-pressure, flush() waits for 'drain', so memory stays bounded however
 * many rows are generated.
 */
export class CsvWriter {
  /** Data rows written so far (the header is not counted). */
  rows = 0;
  private batch = '';
  private chunk: Buffer;
  private used = 0;
  private blocked = false;
  private failure: Error | undefined;
  private readonly stream: WriteStream;

  constructor(
    readonly path: string,
    columns: readonly string[],
    private readonly chunkBytes = 2 << 20,
  ) {
    this.stream = createWriteStream(path, { highWaterMark: 2 * chunkBytes });
    // keep the error for the next flush instead of letting an unhandled 'error' event kill the process
    this.stream.on('error', (error) => {
      this.failure ??= error;
    });
    this.chunk = Buffer.allocUnsafe(chunkBytes);
    this.batch = columns.map(csvField).join(',') + '\n';
  }

  /** Appends one formatted row; `line` must end with '\n'. */
  write(line: string): void {
    this.batch += line;
    this.rows++;
    if (this.batch.length >= BATCH_CHARS) this.encodeBatch();
  }

  /** True when the file stream has asked us to wait: call flush() before writing more. */
  get wantsFlush(): boolean {
    return this.blocked || this.failure !== undefined;
  }

  /** Waits for the stream to drain if it asked to. */
  async flush(): Promise<void> {
    if (this.failure) throw this.failure;
    if (!this.blocked) return;
    // once() rejects if the stream emits 'error' while we wait
    await once(this.stream, 'drain');
    this.blocked = false;
  }

  async close(): Promise<void> {
    if (this.failure) throw this.failure;
    this.encodeBatch();
    this.sendChunk();
    this.stream.end();
    await finished(this.stream);
    if (this.failure) throw this.failure;
  }

  /** Stops writing after a failure elsewhere; the partial file is the caller's to remove. */
  destroy(): void {
    this.stream.destroy();
  }

  private encodeBatch(): void {
    const text = this.batch;
    if (text.length === 0) return;
    this.batch = '';
    if (this.used + text.length * MAX_BYTES_PER_CHAR > this.chunk.length) {
      this.sendChunk();
      if (text.length * MAX_BYTES_PER_CHAR > this.chunk.length) {
        // a batch larger than a chunk (only with a tiny chunkBytes): send it on its own
        this.send(Buffer.from(text, 'utf8'));
        return;
      }
    }
    this.used += this.chunk.write(text, this.used, 'utf8');
  }

  /** Hands the filled part of the chunk to the stream; a fresh chunk is used since the stream keeps the old. */
  private sendChunk(): void {
    if (this.used === 0) return;
    const full = this.chunk.subarray(0, this.used);
    this.chunk = Buffer.allocUnsafe(this.chunkBytes);
    this.used = 0;
    this.send(full);
  }

  private send(data: Buffer): void {
    if (!this.stream.write(data)) this.blocked = true;
  }
}
