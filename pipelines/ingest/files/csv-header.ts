import { closeSync, openSync, readSync } from 'node:fs';

export type Delimiter = ',' | ';' | '\t' | '|';

/** Candidates in order of preference when counts tie (a one-column header has none of them: comma). */
const DELIMITERS: readonly Delimiter[] = [',', ';', '\t', '|'];

/** Most we read looking for the end of the header record; a header longer than this is not a CSV header. */
const MAX_HEADER_BYTES = 4 * 1024 * 1024;

export interface CsvHeader {
  /** Header names exactly as written (quotes removed, not yet cleaned). */
  readonly names: readonly string[];
  readonly delimiter: Delimiter;
  /** Blank lines before the header (read_csv's `skip`). */
  readonly blankLinesBefore: number;
  /** Physical lines the header record spans (more than 1 when a quoted name holds a line break). */
  readonly headerLines: number;
}

/**
 * The first record of a UTF-8 CSV file: its names, the delimiter it uses, and where it sits. Returns null for a
 * file with no header at all (empty, or only blank lines).
 */
export function readCsvHeader(path: string): CsvHeader | null {
  const text = readStart(path);
  let start = 0;
  let blankLinesBefore = 0;
  for (;;) {
    const lineEnd = newlineLength(text, start);
    if (lineEnd === 0) break;
    start += lineEnd;
    blankLinesBefore++;
  }
  if (start >= text.length) return null;
  const record = firstRecord(text, start);
  const delimiter = detectDelimiter(record.text);
  return { names: splitRecord(record.text, delimiter), delimiter, blankLinesBefore, headerLines: record.lines };
}

/** The file's first bytes as text, BOM removed, stopping once a complete first record is in hand. */
function readStart(path: string): string {
  const fd = openSync(path, 'r');
  try {
    const chunks: Buffer[] = [];
    let total = 0;
    const buffer = Buffer.alloc(64 * 1024);
    for (;;) {
      const read = readSync(fd, buffer, 0, buffer.length, total);
      if (read === 0) break;
      chunks.push(Buffer.from(buffer.subarray(0, read)));
      total += read;
      // a record ends at a line break outside quotes; a crude check (any line break after content) is enough
      // to stop reading, firstRecord() then finds the real end within what we have
      const text = Buffer.concat(chunks).toString('utf8');
      if (hasCompleteRecord(text) || total >= MAX_HEADER_BYTES) break;
    }
    return Buffer.concat(chunks).toString('utf8').replace(/^\uFEFF/, '');
  } finally {
    closeSync(fd);
  }
}

function hasCompleteRecord(text: string): boolean {
  const body = text.replace(/^\uFEFF/, '').replace(/^[\r\n]+/, '');
  return firstRecord(body, 0).complete;
}

/** Length of the line break at `index` (2 for CRLF), 0 when there is none. */
function newlineLength(text: string, index: number): number {
  if (text[index] === '\r') return text[index + 1] === '\n' ? 2 : 1;
  if (text[index] === '\n') return 1;
  return 0;
}

/** The first record from `start`: quote-aware, so line breaks inside quotes stay in it. */
function firstRecord(text: string, start: number): { text: string; lines: number; complete: boolean } {
  let quoted = false;
  let lines = 1;
  for (let i = start; i < text.length; i++) {
    const char = text[i];
    if (char === '"') quoted = !quoted; // a doubled "" toggles twice: still right
    else {
      const length = newlineLength(text, i);
      if (length === 0) continue;
      if (!quoted) return { text: text.slice(start, i), lines, complete: true };
      lines++;
      i += length - 1;
    }
  }
  return { text: text.slice(start), lines, complete: false };
}

/** The candidate delimiter seen most often outside quotes in the header record. */
export function detectDelimiter(record: string): Delimiter {
  const counts = new Map<Delimiter, number>(DELIMITERS.map((d) => [d, 0]));
  let quoted = false;
  for (const char of record) {
    if (char === '"') quoted = !quoted;
    else if (!quoted && counts.has(char as Delimiter)) counts.set(char as Delimiter, counts.get(char as Delimiter)! + 1);
  }
  let best: Delimiter = ',';
  for (const d of DELIMITERS) if (counts.get(d)! > counts.get(best)!) best = d;
  return best;
}

/** Splits one record into fields (RFC 4180: "" inside quotes is a quote). */
export function splitRecord(record: string, delimiter: string): string[] {
  const fields: string[] = [];
  let field = '';
  let quoted = false;
  for (let i = 0; i < record.length; i++) {
    const char = record[i]!;
    if (quoted) {
      if (char === '"' && record[i + 1] === '"') {
        field += '"';
        i++;
      } else if (char === '"') quoted = false;
      else field += char;
    } else if (char === '"') quoted = true;
    else if (char === delimiter) {
      fields.push(field);
      field = '';
    } else field += char;
  }
  fields.push(field);
  return fields;
}
