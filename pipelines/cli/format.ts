import type { Row, RowValue } from '../db/values.ts';

function cell(value: RowValue): string {
  if (value === null) return '';
  if (value instanceof Date) return value.toISOString().replace('T', ' ').replace(/\.000Z$|Z$/, '');
  if (typeof value === 'number') return Number.isInteger(value) ? String(value) : value.toFixed(2);
  if (typeof value === 'object') return JSON.stringify(value);
  return String(value);
}

/** Terminal width of a string: CJK characters take two columns, so Chinese labels still line up. */
function width(text: string): number {
  let total = 0;
  for (const char of text) total += /[\u1100-\u115f\u2e80-\ua4cf\uac00-\ud7a3\uf900-\ufaff\ufe30-\ufe4f\uff00-\uff60\uffe0-\uffe6]/.test(char) ? 2 : 1;
  return total;
}

function pad(text: string, size: number, right: boolean): string {
  const fill = ' '.repeat(Math.max(0, size - width(text)));
  return right ? fill + text : text + fill;
}

/** Rows as an aligned text table (numbers right-aligned), the way `crm-tiers query` prints them. */
export function formatTable(rows: readonly Row[], columns: readonly string[] = Object.keys(rows[0] ?? {})): string {
  if (columns.length === 0) return '(no columns)';
  const texts = rows.map((row) => columns.map((c) => cell(row[c] ?? null)));
  const numeric = columns.map((c) => rows.length > 0 && rows.every((row) => row[c] === null || typeof row[c] === 'number'));
  const widths = columns.map((c, i) => Math.max(width(c), ...texts.map((t) => width(t[i] ?? ''))));
  const line = (values: readonly string[]) => values.map((v, i) => pad(v, widths[i] ?? 0, numeric[i] ?? false)).join('  ').trimEnd();
  const out = [line(columns), widths.map((w) => '-'.repeat(w)).join('  '), ...texts.map(line)];
  out.push(`(${rows.length} row${rows.length === 1 ? '' : 's'})`);
  return out.join('\n');
}

/** JSON for scripts: dates as ISO strings, one document on stdout. */
export function formatJson(value: unknown): string {
  return JSON.stringify(value, (_key, v: unknown) => (typeof v === 'bigint' ? Number(v) : v), 2);
}
