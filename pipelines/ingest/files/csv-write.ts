import { createWriteStream, type WriteStream } from 'node:fs';
import { once } from 'node:events';

/**
 * One CSV field, RFC 4180: quoted when it holds a comma, quote or line break, and also when it has surrounding
 * spaces so no reader trims them. Empty stays unquoted (DuckDB reads it as NULL, the same as an empty cell).
 */
export function csvField(value: string): string {
  if (value === '') return '';
  if (/[",\r\n]/.test(value) || value.trim() !== value) return `"${value.replaceAll('"', '""')}"`;
  return value;
}

export function csvLine(values: readonly string[]): string {
  return `${values.map(csvField).join(',')}\n`;
}

/** Writes CSV lines to a UTF-8 file, waiting when the stream's buffer is full so big sheets stay in bounded memory. */
export class CsvFileWriter {
  private readonly stream: WriteStream;

  constructor(path: string) {
    this.stream = createWriteStream(path, { encoding: 'utf8' });
  }

  async write(values: readonly string[]): Promise<void> {
    if (!this.stream.write(csvLine(values))) await once(this.stream, 'drain');
  }

  async close(): Promise<void> {
    this.stream.end();
    await once(this.stream, 'finish');
  }
}
