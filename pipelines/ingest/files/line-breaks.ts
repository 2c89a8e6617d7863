import { createReadStream, createWriteStream } from 'node:fs';
import { once } from 'node:events';

const CR = 0x0d;
const LF = 0x0a;
const CHUNK = 4 * 1024 * 1024;

/**
 * Whether a file's line ends would stop DuckDB's CSV reader ("state machine reached an invalid state") instead of
 * it rejecting a line: a carriage return without a line feed (old Mac line ends, or a stray byte in a cell), or
 * CRLF and LF mixed in one file. Such a file is read from a copy with line feeds only. Files without any CR (most)
 * are decided by one fast search per chunk.
 */
export async function needsLineFeedCopy(path: string): Promise<boolean> {
  if (!(await containsByte(path, CR))) return false;
  // a second, careful pass only for files with a CR: every CR must end a CRLF, and every LF must follow a CR
  let previous = -1;
  for await (const chunk of createReadStream(path, { highWaterMark: CHUNK }) as AsyncIterable<Buffer>) {
    for (let i = 0; i < chunk.length; i++) {
      const byte = chunk[i]!;
      if (previous === CR && byte !== LF) return true;
      if (byte === LF && previous !== CR) return true;
      previous = byte;
    }
  }
  return previous === CR;
}

async function containsByte(path: string, byte: number): Promise<boolean> {
  for await (const chunk of createReadStream(path, { highWaterMark: CHUNK }) as AsyncIterable<Buffer>) {
    if (chunk.indexOf(byte) !== -1) return true;
  }
  return false;
}

/**
 * Copies a text file with every CRLF written as LF. A lone CR is a line break in a file that has no LF at all (old
 * Mac line ends); in a file that has them it is a stray byte inside a line, written as U+FFFD (an unreadable
 * character, as other broken bytes become), so it can neither cut a record in two nor put a quote at the start of a
 * field, where it would swallow the lines after it.
 */
export async function writeWithLineFeeds(source: string, target: string): Promise<void> {
  const loneCr = (await containsByte(source, LF)) ? Buffer.from('\uFFFD', 'utf8') : Buffer.from([LF]);
  const out = createWriteStream(target);
  let pendingCr = false;
  for await (const chunk of createReadStream(source, { highWaterMark: CHUNK }) as AsyncIterable<Buffer>) {
    let start = 0;
    const parts: Buffer[] = [];
    if (pendingCr) {
      // the CR that ended the previous chunk
      parts.push(chunk[0] === LF ? Buffer.from([LF]) : loneCr);
      if (chunk[0] === LF) start = 1;
      pendingCr = false;
    }
    for (let i = chunk.indexOf(CR, start); i !== -1; i = chunk.indexOf(CR, i + 1)) {
      parts.push(chunk.subarray(start, i));
      if (i === chunk.length - 1) {
        pendingCr = true;
        start = chunk.length;
        break;
      }
      parts.push(chunk[i + 1] === LF ? Buffer.from([LF]) : loneCr);
      start = chunk[i + 1] === LF ? i + 2 : i + 1;
      if (start > i + 1) i += 1;
    }
    if (start < chunk.length) parts.push(chunk.subarray(start));
    if (!out.write(Buffer.concat(parts))) await once(out, 'drain');
  }
  if (pendingCr) out.write(loneCr);
  out.end();
  await once(out, 'finish');
}

/**
 * The file DuckDB should read for `path`: the file itself, or, when its line ends would stop the reader, a copy
 * with line feeds written to the path `target()` gives.
 */
export async function readableLineEnds(path: string, target: () => Promise<string>): Promise<string> {
  if (!(await needsLineFeedCopy(path))) return path;
  const copy = await target();
  await writeWithLineFeeds(path, copy);
  return copy;
}

/** Line feeds in a file, and whether its last byte is one: how many physical lines it has. */
export async function countLines(path: string): Promise<number> {
  let lineFeeds = 0;
  let last = -1;
  let empty = true;
  for await (const chunk of createReadStream(path, { highWaterMark: CHUNK }) as AsyncIterable<Buffer>) {
    if (chunk.length === 0) continue;
    empty = false;
    for (let i = chunk.indexOf(LF); i !== -1; i = chunk.indexOf(LF, i + 1)) lineFeeds++;
    last = chunk[chunk.length - 1]!;
  }
  if (empty) return 0;
  return lineFeeds + (last === LF ? 0 : 1);
}

/** Where a CSV record starts: its 1-based line and 0-based byte offset. */
export interface RecordStart {
  readonly line: number;
  readonly offset: number;
}

/**
 * Where each CSV record after the header starts: blank lines are not records, and a line break inside a quoted
 * field continues its record (as DuckDB's reader sees them), so a record number maps to the line a person finds it
 * on. The file has LF line ends (see writeWithLineFeeds).
 */
export async function recordStarts(path: string, firstDataLine: number, delimiter = ','): Promise<RecordStart[]> {
  const separator = delimiter.charCodeAt(0);
  const QUOTE = 0x22;
  // where the reader is: at a field's start, in an unquoted field, in a quoted one, or just after a quote in one
  // (a quote only opens a field at its start; in the middle of an unquoted field it is an ordinary character)
  let state: 'start' | 'unquoted' | 'quoted' | 'quote' = 'start';
  const starts: RecordStart[] = [];
  let line = 1;
  let offset = 0;
  let atRecordStart = true;
  for await (const chunk of createReadStream(path, { highWaterMark: CHUNK }) as AsyncIterable<Buffer>) {
    for (let i = 0; i < chunk.length; i++, offset++) {
      const byte = chunk[i]!;
      if (atRecordStart && byte !== LF && byte !== CR && line >= firstDataLine) starts.push({ line, offset });
      atRecordStart = false;
      if (byte === LF) {
        line++;
        if (state !== 'quoted') {
          state = 'start';
          atRecordStart = true;
        }
        continue;
      }
      switch (state) {
        case 'start': state = byte === QUOTE ? 'quoted' : byte === separator ? 'start' : 'unquoted'; break;
        case 'unquoted': if (byte === separator) state = 'start'; break;
        case 'quoted': if (byte === QUOTE) state = 'quote'; break;
        case 'quote': state = byte === QUOTE ? 'quoted' : byte === separator ? 'start' : 'unquoted'; break;
      }
    }
  }
  return starts;
}
