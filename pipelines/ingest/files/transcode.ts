import { createReadStream, createWriteStream } from 'node:fs';
import { pipeline } from 'node:stream/promises';
import iconv from 'iconv-lite';
import type { TextEncoding } from './detect-encoding.ts';

/** iconv-lite's name for each encoding we transcode from. */
const ICONV_NAME: Readonly<Record<Exclude<TextEncoding, 'utf8' | 'utf8-bom'>, string>> = {
  utf16le: 'utf-16le',
  utf16be: 'utf-16be',
  gb18030: 'gb18030',
};

/**
 * Streams a non-UTF-8 text file into a UTF-8 file without a BOM (the only encoding DuckDB's CSV reader takes for
 * GBK data here). Streaming keeps memory flat for large exports; line breaks are kept, so line numbers still match.
 */
export async function transcodeToUtf8(source: string, target: string, encoding: TextEncoding): Promise<void> {
  if (encoding === 'utf8' || encoding === 'utf8-bom') throw new Error(`transcodeToUtf8: ${source} is already UTF-8`);
  await pipeline(
    createReadStream(source),
    iconv.decodeStream(ICONV_NAME[encoding], { stripBOM: true }),
    createWriteStream(target, { encoding: 'utf8' }),
  );
}
