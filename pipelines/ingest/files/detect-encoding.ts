import { closeSync, openSync, readSync } from 'node:fs';
import iconv from 'iconv-lite';

export type TextEncoding = 'utf8' | 'utf8-bom' | 'utf16le' | 'utf16be' | 'gb18030';

/** Bytes read to decide a file's encoding: enough to reach past an all-ASCII header into the data. */
export const ENCODING_SAMPLE_BYTES = 256 * 1024;

export interface DetectOptions {
  /** The sample is the whole file, so a multi-byte character cut at its end is an error, not the sample's edge. */
  readonly wholeFile?: boolean;
}

/**
 * The encoding of a text file from its first bytes: a byte-order mark decides; else text that decodes as strict
 * UTF-8 is UTF-8; else GB18030. Not latin-1: these files are Chinese CRM exports, and Chinese Windows Excel saves
 * CSV as GBK, which GB18030 contains; latin-1 would "succeed" on any bytes and turn every name into mojibake.
 */
export function detectEncoding(sample: Buffer, options: DetectOptions = {}): TextEncoding {
  if (sample[0] === 0xef && sample[1] === 0xbb && sample[2] === 0xbf) return 'utf8-bom';
  if (sample[0] === 0xff && sample[1] === 0xfe) return 'utf16le';
  if (sample[0] === 0xfe && sample[1] === 0xff) return 'utf16be';
  try {
    // stream: true keeps a character cut by the sample's end pending instead of calling it invalid
    new TextDecoder('utf-8', { fatal: true }).decode(sample, { stream: !options.wholeFile });
    return 'utf8';
  } catch {
    return mostlyUtf8(sample, options) ? 'utf8' : 'gb18030';
  }
}

/**
 * A UTF-8 export with a few broken bytes (a cut-off last line, one bad cell) must stay UTF-8: read as GB18030 it
 * would garble every Chinese name and header. GBK text almost never forms valid multi-byte UTF-8 (its byte pairs
 * do not fit UTF-8's lead and continuation bytes), while UTF-8 text mostly forms valid GB18030 pairs too. So the
 * bytes each reading turns into non-ASCII characters are compared: when UTF-8 accounts for at least half of what
 * GB18030 does, the file is UTF-8 with some broken bytes. Stray high bytes that GB18030 would not even turn into
 * Chinese characters (a lone 0x80 is "€" there) are UTF-8 too. The broken lines are then rejected by the CSV
 * reader and quarantined.
 */
function mostlyUtf8(sample: Buffer, options: DetectOptions): boolean {
  const text = new TextDecoder('utf-8').decode(sample, { stream: !options.wholeFile });
  // only characters of three or more bytes (Chinese is three): GBK pairs often happen to be valid two-byte UTF-8
  let utf8Bytes = 0;
  for (const char of text) {
    const bytes = Buffer.byteLength(char);
    if (char !== '\uFFFD' && bytes >= 3) utf8Bytes += bytes;
  }
  const asGb = iconv.decode(sample, 'gb18030');
  if (utf8Bytes > 0) {
    let gbBytes = 0;
    for (const char of asGb) if (char !== '\uFFFD' && char.charCodeAt(0) > 0x7f) gbBytes += 2;
    return utf8Bytes * 2 >= gbBytes;
  }
  return !/[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]/.test(asGb);
}

/** Reads a file's first bytes and detects its encoding. */
export function detectFileEncoding(path: string, sampleBytes = ENCODING_SAMPLE_BYTES): TextEncoding {
  const fd = openSync(path, 'r');
  try {
    const buffer = Buffer.alloc(sampleBytes);
    const read = readSync(fd, buffer, 0, sampleBytes, 0);
    return detectEncoding(buffer.subarray(0, read), { wholeFile: read < sampleBytes });
  } finally {
    closeSync(fd);
  }
}

/** UTF-8 with or without BOM: DuckDB reads these as they are (it skips the BOM). */
export function isUtf8(encoding: TextEncoding): boolean {
  return encoding === 'utf8' || encoding === 'utf8-bom';
}
