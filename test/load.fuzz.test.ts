// Seeded fuzz test of the loader: many small, deliberately broken inputs (150 sample-layout export folders whose
// customers.csv and/or orders.csv are broken, 60 plain order-log CSV files), each built from a small valid file
// (5–40 rows) with 1–4 corruptions: truncation mid-row, fields dropped or added, garbage bytes (invalid UTF-8, NUL,
// lone quotes, CR without LF), bad dates / amounts / whole numbers, empty required values, duplicated ids, unknown
// customers, blank lines, a renamed or missing header column, an empty file, a header-only file. (Valid-CSV
// variety is mixed in too: quoted names with commas, quotes and, now and then, a line break; CRLF files.)
// Every input is checked against what a load must always guarantee:
//   P1  no crash: loadStep resolves, or rejects with an Error naming the offending file (never a TypeError,
//       RangeError or bare DuckDB error without the file); and a broken ROW never aborts the load: rows go to
//       quarantine, only whole-file problems reject, with a message starting with the file path and naming the
//       missing column (order log: the kind of column it lacks);
//   P2  per file rows_read = rows_loaded + rows_quarantined; the raw table holds rows_loaded rows; the
//       quarantine holds rows_quarantined rows for the file, each with file, row_number (2..lines), reason, and a
//       column_name unless it is a whole-line parse error;
//   P3  rows_read is the number of data records written (exact, or bounds where a corruption leaves it open:
//       see recordBounds);
//   P4  a row broken on purpose (bad date / amount / whole number, unknown customer, duplicate id, empty required
//       value, wrong column count) is never in the raw table;
//   P5  it is quarantined at its line, under its column, with its reason; an untouched row is loaded once, with
//       the line it is on as _row_number (and, in an order log, with its values unchanged).
//
// Reproducible: FUZZ_SEED=<n> picks the seed (default below); every failure names the seed, the case, the
// corruptions applied and the files (kept on disk when a case fails). The assertion message shows three cases per
// broken property; FUZZ_REPORT=/tmp/fuzz.json also writes every failed case with all its problems.
import { describe, expect, it } from 'vitest';
import { rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Warehouse } from '../pipelines/db/warehouse.ts';
import { loadStep } from '../pipelines/pipeline/steps.ts';
import { ACCOUNT_TYPES, CHANNELS, INDUSTRIES, ORDER_STATUSES, PRODUCT_CATEGORIES, REGIONS, SOURCES } from '../pipelines/generate/catalog.ts';
import { HEADERS, tempDir, writeExports } from './helpers/fixtures.ts';

const DEFAULT_SEED = 20240611;
const SEED = parseSeed(process.env['FUZZ_SEED']);
const FOLDER_CASES = 150;
const ORDER_LOG_CASES = 60;
/** Fuzzed files are mostly bad rows on purpose: the reject-rate limit (tested elsewhere) must not stop them. */
const ACCEPT_ANY_REJECTS = { maxRejectRate: 1 } as const;
const REPRODUCE = `FUZZ_SEED=${SEED} npx vitest run --config test/vitest.config.ts test/load.fuzz.test.ts`;

function parseSeed(text: string | undefined): number {
  if (text === undefined || text.trim() === '') return DEFAULT_SEED;
  const seed = Number(text);
  if (!Number.isInteger(seed) || seed < 0 || seed > 0xffffffff) throw new Error(`FUZZ_SEED must be an integer 0..4294967295, got "${text}"`);
  return seed;
}

// ---------------------------------------------------------------------------------------------------------------
// Seeded randomness

function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** The seed of one case, from the run's seed, so a case is the same whatever the others did. */
function caseSeed(family: number, index: number): number {
  let h = (SEED ^ Math.imul(family * 1000003 + index + 1, 0x9e3779b1)) >>> 0;
  h = Math.imul(h ^ (h >>> 16), 0x85ebca6b) >>> 0;
  h = Math.imul(h ^ (h >>> 13), 0xc2b2ae35) >>> 0;
  return (h ^ (h >>> 16)) >>> 0;
}

class Rng {
  private readonly next: () => number;
  constructor(seed: number) {
    this.next = mulberry32(seed);
  }
  int(min: number, max: number): number {
    return min + Math.floor(this.next() * (max - min + 1));
  }
  pick<T>(items: readonly T[]): T {
    if (items.length === 0) throw new Error('pick from an empty list');
    return items[this.int(0, items.length - 1)]!;
  }
  chance(p: number): boolean {
    return this.next() < p;
  }
  weighted<T extends string>(weights: Readonly<Partial<Record<T, number>>>): T {
    const entries = Object.entries(weights) as [T, number][];
    let r = this.next() * entries.reduce((sum, [, w]) => sum + w, 0);
    for (const [key, w] of entries) {
      r -= w;
      if (r < 0) return key;
    }
    return entries[entries.length - 1]![0];
  }
  shuffle<T>(items: readonly T[]): T[] {
    const copy = [...items];
    for (let i = copy.length - 1; i > 0; i--) {
      const j = this.int(0, i);
      [copy[i], copy[j]] = [copy[j]!, copy[i]!];
    }
    return copy;
  }
}

// ---------------------------------------------------------------------------------------------------------------
// A CSV file as rows we know the fate of

type Fate = 'load' | 'quarantine' | 'unknown';

interface Entry {
  readonly kind: 'row' | 'blank';
  /** The row's cells as written (already CSV-quoted where needed). */
  cells: string[];
  /** Set when the row is broken below the cell level (garbage bytes). */
  bytes?: Buffer;
  /** Key value as written: order_id / customer_id (sample layout), order id (order log); '' when none. */
  id: string;
  /** How failure messages name the row: its key, or (order log without order ids) its amount as generated. */
  label: string;
  customerId: string;
  /** Order log: the amount (unique per row, so a loaded line can be told apart) and ISO date as written. */
  amount?: string;
  isoDate?: string;
  product?: string;
  /** 'derive': an untouched order of the sample layout, loaded iff its customer is. */
  fate: Fate | 'derive';
  /** The column a quarantined row must be reported under (undefined: any, e.g. a whole-line parse error). */
  column?: string;
  reason?: RegExp;
  /** The row whose id this duplicate repeats. */
  dupOf?: Entry;
  /** Holds a quote that may open a quoted field running over the following lines. */
  swallows?: boolean;
  /** What was done to the row, for failure messages. */
  note: string;
  /** Filled in when the file is written. */
  line?: number;
  lineKnown?: boolean;
}

interface CsvModel {
  readonly table: string;
  readonly path: string;
  readonly columns: readonly string[];
  header: string[];
  entries: Entry[];
  readonly eol: '\n' | '\r\n';
  mode: 'rows' | 'empty' | 'headerOnly';
  headerOnlyNewline: boolean;
  cut?: { entry: Entry; at: number };
  headerProblem?: { column: string; how: 'renamed' | 'removed' };
  /** Untouched rows a corruption may still take. */
  pool: Entry[];
  corruptions: string[];
}

function csvField(value: string): string {
  return /[",\n\r]/.test(value) ? `"${value.replaceAll('"', '""')}"` : value;
}

function newModel(table: string, path: string, columns: readonly string[], header: readonly string[], rng: Rng): CsvModel {
  return {
    table, path, columns, header: [...header], entries: [], eol: rng.chance(0.25) ? '\r\n' : '\n', mode: 'rows',
    headerOnlyNewline: true, pool: [], corruptions: [],
  };
}

function addRow(model: CsvModel, values: Record<string, string>, id: string, customerId: string, fate: Fate | 'derive', label = id): Entry {
  const entry: Entry = { kind: 'row', cells: model.columns.map((c) => csvField(values[c] ?? '')), id, label, customerId, fate, note: '' };
  model.entries.push(entry);
  model.pool.push(entry);
  return entry;
}

function rowBytes(entry: Entry): Buffer {
  return entry.bytes ?? Buffer.from(entry.cells.join(','), 'utf8');
}

/** Takes an untouched row out of the pool (undefined when none is left). */
function takeRow(model: CsvModel, rng: Rng): Entry | undefined {
  if (model.pool.length === 0) return undefined;
  const index = rng.int(0, model.pool.length - 1);
  return model.pool.splice(index, 1)[0];
}

/** Where a new line may go: anywhere up to the truncated last row, which must stay last. */
function lastInsertIndex(model: CsvModel): number {
  return model.cut ? model.entries.indexOf(model.cut.entry) : model.entries.length;
}

function setCell(model: CsvModel, entry: Entry, column: string, value: string): void {
  const index = model.columns.indexOf(column);
  if (index < 0) throw new Error(`test bug: no column ${column} in ${model.table}`);
  entry.cells[index] = csvField(value);
}

const isBreak = (byte: number | undefined) => byte === 0x0a || byte === 0x0d;

interface WrittenFile {
  readonly buffer: Buffer;
  /** Physical lines, counting CRLF, a lone CR and LF each as one line break (the most any reader could see). */
  readonly lines: number;
  readonly loneCrs: number;
}

/** Writes the file and works out the line each row starts on. */
function writeModel(model: CsvModel): WrittenFile {
  const parts: Buffer[] = [];
  const starts = new Map<Entry, number>();
  if (model.mode !== 'empty') {
    parts.push(Buffer.from(model.header.join(','), 'utf8'));
    if (model.mode === 'headerOnly') {
      if (model.headerOnlyNewline) parts.push(Buffer.from(model.eol));
    } else {
      let offset = parts[0]!.length;
      for (const entry of model.entries) {
        parts.push(Buffer.from(model.eol));
        offset += model.eol.length;
        starts.set(entry, offset);
        let bytes = entry.kind === 'blank' ? Buffer.alloc(0) : rowBytes(entry);
        if (model.cut?.entry === entry) bytes = bytes.subarray(0, model.cut.at);
        parts.push(bytes);
        offset += bytes.length;
      }
      if (!model.cut) parts.push(Buffer.from(model.eol));
    }
  }
  const buffer = Buffer.concat(parts);
  writeFileSync(model.path, buffer);

  // line number of every byte offset, and whether a lone CR (a line break to some readers only) came before it
  const lineAt: number[] = new Array<number>(buffer.length + 1);
  const loneCrBefore: boolean[] = new Array<boolean>(buffer.length + 1);
  let line = 1;
  let loneCrs = 0;
  for (let i = 0; i <= buffer.length; i++) {
    lineAt[i] = line;
    loneCrBefore[i] = loneCrs > 0;
    const byte = buffer[i];
    if (byte === 0x0a) line++;
    else if (byte === 0x0d) {
      if (buffer[i + 1] !== 0x0a) {
        line++;
        loneCrs++;
      }
    }
  }
  const lines = buffer.length === 0 ? 0 : line - 1 + (isBreak(buffer[buffer.length - 1]) ? 0 : 1);

  // a quote that may run over the following lines makes their fate and line unknowable
  let swallowed = false;
  for (const entry of model.entries) {
    const start = starts.get(entry);
    entry.line = start === undefined ? undefined : lineAt[start];
    entry.lineKnown = start !== undefined && !loneCrBefore[start] && !swallowed;
    if (swallowed) entry.fate = 'unknown';
    if (entry.swallows) swallowed = true;
  }
  return { buffer, lines, loneCrs };
}

/** Bounds on the records a reader can find (P3): exact unless a lone quote, a lone CR or a blank line leaves it open. */
function recordBounds(model: CsvModel, written: WrittenFile): { min: number; max: number; why: string } {
  if (model.mode !== 'rows') return { min: 0, max: 0, why: model.mode === 'empty' ? 'empty file' : 'header only' };
  const rows = model.entries.filter((e) => e.kind === 'row');
  const blanks = model.entries.length - rows.length;
  const firstSwallow = rows.findIndex((e) => e.swallows);
  // a quote opening a field may take every following line into its record (at least itself stays one record);
  // a lone CR may split its record in two; a blank line may be skipped or read as a (bad) record
  const min = firstSwallow >= 0 ? firstSwallow + 1 : rows.length;
  const max = rows.length + blanks + written.loneCrs;
  const why = [
    `${rows.length} record(s) written`,
    firstSwallow >= 0 ? `a lone quote on record ${firstSwallow + 1} may swallow the rest` : '',
    written.loneCrs > 0 ? `${written.loneCrs} lone CR(s) may each split a record` : '',
    blanks > 0 ? `${blanks} blank line(s) may or may not count` : '',
  ].filter(Boolean).join('; ');
  return { min, max, why };
}

// ---------------------------------------------------------------------------------------------------------------
// Corruptions shared by both families

/** Garbage bytes: invalid UTF-8, NUL, lone quotes, CR without LF, commas, odd printable characters. */
const GARBAGE_PIECES: Readonly<Record<'invalidUtf8' | 'nul' | 'quote' | 'cr' | 'comma' | 'printable', readonly number[][]>> = {
  invalidUtf8: [[0xff], [0xfe], [0xc3], [0x80], [0xe4, 0xb8], [0xf0, 0x9f, 0x98], [0xed, 0xa0, 0x80]],
  nul: [[0x00]],
  quote: [[0x22]],
  cr: [[0x0d]],
  comma: [[0x2c]],
  // symbols and control characters; no letters, digits, signs or currency symbols, so garbage never makes a value
  // valid or names a currency
  printable: [[0x7e], [0x5e], [0x21], [0x40], [0x23], [0x25], [0x26], [0x2a], [0x7c], [0x3f], [0x09], [0x07], [0x1b]],
};

type GarbageVariant = 'bytes' | 'invalidUtf8' | 'quote' | 'cr' | 'mixed';

function garbage(rng: Rng, variant: GarbageVariant): Buffer {
  const kinds: readonly (keyof typeof GARBAGE_PIECES)[] =
    variant === 'bytes' ? ['invalidUtf8', 'nul', 'comma', 'printable']
      : variant === 'mixed' ? ['invalidUtf8', 'nul', 'quote', 'cr', 'comma', 'printable']
        : [variant];
  const bytes: number[] = [];
  const count = variant === 'quote' || variant === 'cr' ? 1 : variant === 'invalidUtf8' ? rng.int(1, 2) : rng.int(1, 6);
  for (let i = 0; i < count; i++) bytes.push(...rng.pick(GARBAGE_PIECES[rng.pick(kinds)]));
  if (variant === 'mixed' && !bytes.includes(0x22) && !bytes.includes(0x0d)) bytes.push(rng.chance(0.5) ? 0x22 : 0x0d);
  return Buffer.from(bytes);
}

function insertGarbage(model: CsvModel, entry: Entry, rng: Rng): void {
  const variant = rng.weighted<GarbageVariant>({ bytes: 35, invalidUtf8: 15, quote: 20, cr: 15, mixed: 15 });
  const original = rowBytes(entry);
  const junk = garbage(rng, variant);
  const at = rng.int(0, original.length);
  const bytes = Buffer.concat([original.subarray(0, at), junk, original.subarray(at)]);
  entry.bytes = bytes;
  entry.fate = 'unknown';
  // a quote at the start of a field opens a quoted field; next to other quotes it may close or reopen one
  const quoteAtFieldStart = [...junk].some((byte, k) => byte === 0x22 && (at + k === 0 || bytes[at + k - 1] === 0x2c));
  if (junk.includes(0x22) && (quoteAtFieldStart || original.includes(0x22))) entry.swallows = true;
  entry.note = `garbage (${variant}) bytes [${[...junk].map((b) => b.toString(16).padStart(2, '0')).join(' ')}] inserted at byte ${at}`;
  model.corruptions.push(`row ${entry.label}: ${entry.note}`);
}

function truncate(model: CsvModel, rng: Rng): boolean {
  if (model.cut) return false;
  const rows = model.entries.filter((e) => e.kind === 'row');
  const candidates = rows.slice(Math.floor(rows.length / 2)).filter((e) => model.pool.includes(e) && rowBytes(e).length >= 2);
  if (candidates.length === 0) return false;
  const entry = rng.pick(candidates);
  const index = model.entries.indexOf(entry);
  const dropped = model.entries.splice(index + 1);
  model.pool = model.pool.filter((e) => e !== entry && !dropped.includes(e));
  const at = rng.int(1, rowBytes(entry).length - 1);
  model.cut = { entry, at };
  // whether the cut-off row still reads as a valid row depends on where it was cut
  entry.fate = 'unknown';
  entry.note = `truncated after byte ${at} (end of file)`;
  model.corruptions.push(`file truncated inside row ${entry.label} after byte ${at}, dropping ${dropped.filter((e) => e.kind === 'row').length} later row(s)`);
  return true;
}

function wrongColumnCount(model: CsvModel, entry: Entry, rng: Rng): void {
  if (entry.cells.length > 1 && rng.chance(0.5)) {
    const drop = rng.int(1, entry.cells.length - 1);
    for (let i = 0; i < drop; i++) entry.cells.splice(rng.int(1, entry.cells.length - 1), 1);
    entry.note = `${drop} field(s) dropped`;
  } else {
    // (never only empty fields at the end: DuckDB reads "a,b,c," as a,b,c, which loses nothing; see the report)
    const add = rng.int(1, 3);
    for (let i = 0; i < add; i++) {
      const at = rng.int(1, entry.cells.length);
      entry.cells.splice(at, 0, rng.pick(at === entry.cells.length ? ['extra', '42', '2024-01-01'] : ['extra', '', '42', '2024-01-01']));
    }
    entry.note = `${add} field(s) added`;
  }
  entry.fate = 'quarantine';
  model.corruptions.push(`row ${entry.label}: ${entry.note} (${entry.cells.length} instead of ${model.columns.length})`);
}

function blankLine(model: CsvModel, rng: Rng): void {
  const at = rng.int(0, lastInsertIndex(model));
  model.entries.splice(at, 0, { kind: 'blank', cells: [], id: '', label: '(blank line)', customerId: '', fate: 'unknown', note: 'blank line' });
  model.corruptions.push(`blank line inserted before data row ${at + 1}`);
}

function breakHeader(model: CsvModel, rng: Rng, columns: readonly string[]): boolean {
  if (model.headerProblem) return false;
  const column = rng.pick(columns);
  const index = model.header.indexOf(csvField(column));
  if (index < 0) return false;
  const how = rng.chance(0.5) ? 'renamed' : 'removed';
  if (how === 'renamed') model.header[index] = rng.pick([`${column}_old`, `x_${column}`, 'unnamed', 'col?']);
  else model.header.splice(index, 1);
  model.headerProblem = { column, how };
  model.corruptions.push(`header column ${column} ${how}${how === 'renamed' ? ` to ${model.header[index]}` : ''}`);
  return true;
}

const BAD_DATES = ['2024-13-40', 'yesterday', '31/31/2024', '2024-02-30', '2024-00-10'];
const BAD_AMOUNTS = ['12,3,4', 'abc', '--5', '1.2.3', '12a'];
const BAD_INTEGERS = ['1.5', '0.5', 'abc', '--5', '3x'];

function isoDate(rng: Rng): string {
  return `${rng.pick(['2023', '2024'])}-${String(rng.int(1, 12)).padStart(2, '0')}-${String(rng.int(1, 28)).padStart(2, '0')}`;
}

// ---------------------------------------------------------------------------------------------------------------
// Sample-layout folders (customers.csv and orders.csv broken; the other four header-only)

const CUSTOMER_COLUMNS: readonly string[] = HEADERS.customers;
const ORDER_COLUMNS: readonly string[] = HEADERS.orders;
const REQUIRED: Readonly<Record<'customers' | 'orders', readonly string[]>> = {
  customers: ['customer_id', 'customer_name', 'created_date'],
  orders: ['order_id', 'customer_id', 'order_date', 'amount_cny', 'status'],
};
const TYPED = new Set(['created_date', 'order_date', 'quantity', 'amount_cny', 'discount_cny']);

const FOLDER_KINDS = ['truncate', 'columns', 'garbage', 'badDate', 'badAmount', 'badInteger', 'emptyRequired', 'duplicateId',
  'unknownCustomer', 'blankLine', 'header', 'empty', 'headerOnly'] as const;
type FolderKind = (typeof FOLDER_KINDS)[number];
const ORDERS_ONLY = new Set<FolderKind>(['badAmount', 'badInteger', 'unknownCustomer']);
const FILE_LEVEL = new Set<string>(['header', 'empty', 'headerOnly']);

interface FolderCase {
  readonly name: string;
  readonly dir: string;
  readonly customers: CsvModel;
  readonly orders: CsvModel;
  readonly kinds: string[];
}

function customerName(rng: Rng, id: string, multiline: boolean): string {
  if (multiline) return `${id} 第一行\n第二行`;
  return rng.pick([`客户${id}`, `${id} Trading, Ltd`, `北京"星辰"${id}`, `${id} 有限公司`]);
}

function generateFolder(index: number): FolderCase {
  const seed = caseSeed(1, index);
  const rng = new Rng(seed);
  const name = `folder#${index} (case seed ${seed})`;
  const dir = writeExports(tempDir('fuzz-folder'), {});
  const customers = newModel('customers', join(dir, 'customers.csv'), CUSTOMER_COLUMNS, CUSTOMER_COLUMNS, rng);
  const orders = newModel('orders', join(dir, 'orders.csv'), ORDER_COLUMNS, ORDER_COLUMNS, rng);

  const customerCount = rng.int(5, 40);
  const multilineAt = rng.chance(0.15) ? rng.int(0, customerCount - 1) : -1;
  const customerIds: string[] = [];
  for (let i = 0; i < customerCount; i++) {
    const id = `C${String(i + 1).padStart(3, '0')}`;
    customerIds.push(id);
    addRow(customers, {
      customer_id: id, customer_name: customerName(rng, id, i === multilineAt), customer_type: rng.pick(['B2B', 'B2C', '']),
      region: rng.pick(REGIONS), channel: rng.pick(CHANNELS), industry: rng.pick([...INDUSTRIES, '']), source: rng.pick(SOURCES),
      account_type: rng.pick([...ACCOUNT_TYPES, '']), owner: rng.pick(['王伟', '李娜', '']), email: `${id.toLowerCase()}@example.com`,
      phone: `1380000${String(i).padStart(4, '0')}`, created_date: isoDate(rng),
    }, id, id, 'load');
  }
  if (multilineAt >= 0) customers.corruptions.push(`(valid CSV, not a corruption) customer_name of C${String(multilineAt + 1).padStart(3, '0')} is quoted and spans two lines`);
  const orderCount = rng.int(5, 40);
  for (let i = 0; i < orderCount; i++) {
    const id = `O${String(i + 1).padStart(4, '0')}`;
    const customerId = rng.pick(customerIds);
    addRow(orders, {
      order_id: id, customer_id: customerId, order_date: isoDate(rng), product_category: rng.pick(PRODUCT_CATEGORIES),
      quantity: String(rng.int(1, 20)), amount_cny: `${rng.int(1, 99999)}.${String(rng.int(0, 99)).padStart(2, '0')}`,
      discount_cny: rng.pick(['0', '5.50', '']), status: rng.pick(ORDER_STATUSES),
    }, id, customerId, 'derive');
  }

  const target = rng.weighted({ orders: 45, customers: 25, both: 30 });
  const weights = (table: 'customers' | 'orders'): Partial<Record<FolderKind, number>> => ({
    truncate: 8, columns: 10, garbage: 14, badDate: 10, emptyRequired: 10, duplicateId: 8, blankLine: 5, header: 4, empty: 3, headerOnly: 3,
    ...(table === 'orders' ? { badAmount: 8, badInteger: 5, unknownCustomer: 8 } : {}),
  });
  const planned = Array.from({ length: rng.int(1, 4) }, () => {
    const table = target === 'both' ? rng.pick(['customers', 'orders'] as const) : target;
    return { table, kind: rng.weighted(weights(table)) };
  });
  // the first cases each start with one kind in turn, so every kind is tried (at least twice) whatever the seed
  const forced = index < 2 * FOLDER_KINDS.length ? FOLDER_KINDS[index % FOLDER_KINDS.length]! : undefined;
  if (forced) planned[0] = { table: ORDERS_ONLY.has(forced) ? 'orders' : planned[0]!.table, kind: forced };
  const rank = (kind: FolderKind) => (FILE_LEVEL.has(kind) ? 0 : kind === 'truncate' ? 1 : 2);
  planned.sort((a, b) => rank(a.kind) - rank(b.kind));

  const kinds: string[] = [];
  for (const { table, kind } of planned) {
    const model = table === 'customers' ? customers : orders;
    if (applyFolderCorruption(model, kind, rng)) kinds.push(kind);
    else model.corruptions.push(`(${kind} not applicable here, skipped)`);
  }
  return { name, dir, customers, orders, kinds };
}

function applyFolderCorruption(model: CsvModel, kind: FolderKind, rng: Rng): boolean {
  const table = model.table as 'customers' | 'orders';
  const key = table === 'customers' ? 'customer_id' : 'order_id';
  if (kind === 'empty' || kind === 'headerOnly') {
    if (model.mode !== 'rows') return false;
    model.mode = kind;
    model.headerOnlyNewline = rng.chance(0.7);
    model.corruptions.push(kind === 'empty' ? 'empty file (0 bytes)' : `header only${model.headerOnlyNewline ? '' : ' (no final newline)'}`);
    return true;
  }
  if (kind === 'header') return breakHeader(model, rng, model.columns);
  if (model.mode !== 'rows') return false;
  if (kind === 'truncate') return truncate(model, rng);
  if (kind === 'blankLine') {
    blankLine(model, rng);
    return true;
  }
  if (kind === 'duplicateId') {
    const anchor = takeRow(model, rng);
    if (!anchor) return false;
    const copy: Entry = {
      kind: 'row', cells: [...anchor.cells], id: anchor.id, label: `${anchor.id} (repeated)`, customerId: anchor.customerId, fate: 'quarantine', column: key,
      reason: new RegExp(`^duplicate ${key}`), dupOf: anchor, note: `duplicate of ${anchor.id}`,
    };
    if (table === 'customers') setCell(model, copy, 'customer_name', 'duplicate record');
    else setCell(model, copy, 'amount_cny', '4242.42');
    model.entries.splice(Math.min(model.entries.indexOf(anchor) + 1, lastInsertIndex(model)), 0, copy);
    model.corruptions.push(`row repeating ${key} ${anchor.id} inserted after it`);
    return true;
  }
  const entry = takeRow(model, rng);
  if (!entry) return false;
  const broken = (column: string, value: string, reason: RegExp, note: string) => {
    setCell(model, entry, column, value);
    entry.fate = 'quarantine';
    entry.column = column;
    entry.reason = reason;
    entry.note = note;
    model.corruptions.push(`row ${entry.id}: ${note}`);
  };
  switch (kind) {
    case 'columns':
      wrongColumnCount(model, entry, rng);
      return true;
    case 'garbage':
      insertGarbage(model, entry, rng);
      return true;
    case 'badDate': {
      const column = table === 'customers' ? 'created_date' : 'order_date';
      const value = rng.pick(BAD_DATES);
      broken(column, value, /^not a date/, `${column} = ${JSON.stringify(value)}`);
      return true;
    }
    case 'badAmount': {
      const column = rng.pick(['amount_cny', 'amount_cny', 'discount_cny']);
      const value = rng.pick(BAD_AMOUNTS);
      broken(column, value, /^not a number/, `${column} = ${JSON.stringify(value)}`);
      return true;
    }
    case 'badInteger': {
      const value = rng.pick(BAD_INTEGERS);
      broken('quantity', value, /^not a whole number/, `quantity = ${JSON.stringify(value)}`);
      return true;
    }
    case 'emptyRequired': {
      const column = rng.pick(REQUIRED[table]);
      const value = TYPED.has(column) ? '' : rng.pick(['', '  ']);
      const id = entry.id;
      broken(column, value, /required value is missing/, `required ${column} = ${JSON.stringify(value)}`);
      if (column === key) entry.id = '';
      if (column === 'customer_id' && table === 'orders') entry.customerId = '';
      entry.note = `${entry.note} (was row ${id})`;
      return true;
    }
    case 'unknownCustomer': {
      const unknown = `Z${rng.int(100, 999)}`;
      broken('customer_id', unknown, /^customer_id .* not found in customers/, `customer_id = ${unknown} (no such customer)`);
      entry.customerId = unknown;
      return true;
    }
    default:
      return false;
  }
}

/** An untouched order is loaded iff its customer is; unknown when that cannot be told. */
function deriveOrderFates(folder: FolderCase): void {
  const fates = new Map<string, Fate[]>();
  if (folder.customers.mode === 'rows') {
    for (const entry of folder.customers.entries) {
      if (entry.kind !== 'row') continue;
      // a row we cannot predict may carry any id, including its original one
      fates.set(entry.id, [...(fates.get(entry.id) ?? []), entry.fate === 'derive' ? 'unknown' : entry.fate]);
    }
  }
  for (const entry of folder.orders.entries) {
    if (entry.fate !== 'derive') continue;
    const customer = fates.get(entry.customerId) ?? [];
    if (customer.includes('load')) entry.fate = 'load';
    else if (customer.includes('unknown')) entry.fate = 'unknown';
    else {
      entry.fate = 'quarantine';
      entry.column = 'customer_id';
      entry.reason = /not found in customers/;
      entry.note = `customer ${entry.customerId} is not loaded`;
    }
  }
}

// ---------------------------------------------------------------------------------------------------------------
// Plain order logs (one CSV file, columns recognised by name)

type Role = 'customer' | 'date' | 'amount' | 'orderId' | 'product' | 'region';
const ROLE_NAMES: Readonly<Record<Role, readonly string[]>> = {
  customer: ['customer_id', 'Customer ID', 'CustomerID', 'client_id', '客户编号'],
  date: ['order_date', 'Order Date', 'InvoiceDate', 'date', '下单日期'],
  amount: ['amount', 'Revenue', 'total', 'Sales', '金额'],
  orderId: ['order_id', 'Invoice No', 'InvoiceNo', '订单编号'],
  product: ['product', 'Category', 'Description'],
  region: ['region', 'Country'],
};
/** How the loader says it lacks a column of each required role. */
const MISSING_ROLE_MESSAGE: Readonly<Record<'customer' | 'date' | 'amount', string>> = {
  customer: 'a customer column', date: 'an order date column', amount: 'an amount column',
};

const LOG_KINDS = ['truncate', 'columns', 'garbage', 'badDate', 'badAmount', 'emptyRequired', 'duplicateId', 'blankLine',
  'header', 'empty', 'headerOnly'] as const;
type LogKind = (typeof LOG_KINDS)[number];

interface LogCase {
  readonly name: string;
  readonly model: CsvModel;
  readonly roles: readonly Role[];
  readonly names: Readonly<Partial<Record<Role, string>>>;
  readonly kinds: string[];
}

function generateOrderLog(index: number): LogCase {
  const seed = caseSeed(2, index);
  const rng = new Rng(seed);
  const name = `order-log#${index} (case seed ${seed})`;
  // the first cases each start with one kind in turn, so every kind is tried (at least twice) whatever the seed
  const forced = index < 2 * LOG_KINDS.length ? LOG_KINDS[index % LOG_KINDS.length]! : undefined;
  const withOrderId = rng.chance(0.6) || forced === 'duplicateId';
  const roles = rng.shuffle<Role>(['customer', 'date', 'amount',
    ...(withOrderId ? ['orderId' as const] : []), ...(rng.chance(0.6) ? ['product' as const] : []), ...(rng.chance(0.3) ? ['region' as const] : [])]);
  const names: Partial<Record<Role, string>> = {};
  for (const role of roles) names[role] = rng.pick(ROLE_NAMES[role]);
  const columns = roles.map((role) => names[role]!);
  const model = newModel('orders', join(tempDir('fuzz-log'), rng.pick(['orders.csv', 'invoices.csv', 'export.txt'])), columns, columns.map(csvField), rng);
  const slashDates = rng.chance(0.3);
  const customers = Array.from({ length: rng.int(1, 8) }, (_, i) => `K${String(i + 1).padStart(3, '0')}`);
  const rowCount = rng.int(5, 40);
  const row = (i: number, customer: string, orderId: string): Entry => {
    const date = isoDate(rng);
    const [y, m, d] = date.split('-');
    const amount = `${(i + 1) * 10 + rng.int(0, 9)}.25`; // unique per line, and no sum of two equals one
    const product = rng.pick(['widget', 'service', '软件订阅', '硬件设备']);
    const values: Record<string, string> = {
      [names.customer!]: customer, [names.date!]: slashDates ? `${y}/${Number(m)}/${Number(d)}` : date, [names.amount!]: amount,
      ...(names.orderId ? { [names.orderId]: orderId } : {}), ...(names.product ? { [names.product]: product } : {}),
      ...(names.region ? { [names.region]: rng.pick(['north', 'south']) } : {}),
    };
    const entry = addRow(model, values, names.orderId ? orderId : '', customer, 'load', names.orderId && orderId ? orderId : `with amount ${amount}`);
    entry.amount = amount;
    entry.isoDate = date;
    if (names.product) entry.product = product;
    return entry;
  };
  for (let i = 0; i < rowCount; i++) row(i, rng.pick(customers), `A${String(i + 1).padStart(4, '0')}`);

  const weights: Partial<Record<LogKind, number>> = {
    truncate: 8, columns: 10, garbage: 14, badDate: 12, badAmount: 12, emptyRequired: 10, blankLine: 5, header: 5, empty: 3, headerOnly: 3,
    ...(names.orderId ? { duplicateId: 8 } : {}),
  };
  const planned = Array.from({ length: rng.int(1, 4) }, () => rng.weighted(weights));
  if (forced) planned[0] = forced;
  const rank = (kind: LogKind) => (FILE_LEVEL.has(kind) ? 0 : kind === 'truncate' ? 1 : 2);
  planned.sort((a, b) => rank(a) - rank(b));
  const kinds: string[] = [];
  let extra = rowCount;
  for (const kind of planned) {
    if (applyLogCorruption(model, kind, rng, names, customers, () => row(extra++, '', ''))) kinds.push(kind);
    else model.corruptions.push(`(${kind} not applicable here, skipped)`);
  }
  return { name, model, roles, names, kinds };
}

function applyLogCorruption(model: CsvModel, kind: LogKind, rng: Rng, names: Partial<Record<Role, string>>, customers: readonly string[],
  newRow: () => Entry): boolean {
  if (kind === 'empty' || kind === 'headerOnly') {
    if (model.mode !== 'rows') return false;
    model.mode = kind;
    model.headerOnlyNewline = rng.chance(0.7);
    model.corruptions.push(kind === 'empty' ? 'empty file (0 bytes)' : `header only${model.headerOnlyNewline ? '' : ' (no final newline)'}`);
    return true;
  }
  if (kind === 'header') return breakHeader(model, rng, [names.customer!, names.date!, names.amount!]);
  if (model.mode !== 'rows') return false;
  if (kind === 'truncate') return truncate(model, rng);
  if (kind === 'blankLine') {
    blankLine(model, rng);
    return true;
  }
  if (kind === 'duplicateId') {
    const anchor = takeRow(model, rng);
    if (!anchor) return false;
    // the same order id on a line of ANOTHER customer: the line cannot belong to that order
    const other = customers.filter((c) => c !== anchor.customerId);
    const copy = newRow();
    model.entries.pop();
    model.pool.pop();
    setCell(model, copy, names.orderId!, anchor.id);
    const customer = other.length > 0 ? rng.pick(other) : 'K999';
    setCell(model, copy, names.customer!, customer);
    copy.id = anchor.id;
    copy.label = `${anchor.id} (repeated)`;
    copy.customerId = customer;
    copy.fate = 'quarantine';
    copy.dupOf = anchor;
    copy.note = `order id ${anchor.id} repeated for customer ${customer} (the order is ${anchor.customerId}'s)`;
    model.entries.splice(Math.min(model.entries.indexOf(anchor) + 1, lastInsertIndex(model)), 0, copy);
    model.corruptions.push(copy.note);
    return true;
  }
  const entry = takeRow(model, rng);
  if (!entry) return false;
  const broken = (column: string, value: string, reason: RegExp, note: string) => {
    setCell(model, entry, column, value);
    entry.fate = 'quarantine';
    entry.column = column;
    entry.reason = reason;
    entry.note = note;
    model.corruptions.push(`row ${entry.label}: ${note}`);
  };
  switch (kind) {
    case 'columns':
      wrongColumnCount(model, entry, rng);
      return true;
    case 'garbage':
      insertGarbage(model, entry, rng);
      return true;
    case 'badDate': {
      const value = rng.pick(BAD_DATES);
      broken(names.date!, value, /^not a date/, `${names.date} = ${JSON.stringify(value)}`);
      return true;
    }
    case 'badAmount': {
      const value = rng.pick(BAD_AMOUNTS);
      broken(names.amount!, value, /^not a number/, `${names.amount} = ${JSON.stringify(value)}`);
      entry.amount = undefined;
      return true;
    }
    case 'emptyRequired': {
      const role = rng.pick(['customer', 'date', 'amount'] as const);
      const value = rng.pick(role === 'customer' ? ['', '  ', 'N/A', 'null'] : role === 'date' ? ['', 'N/A'] : ['', '-', 'NULL']);
      const reason = role === 'customer' ? /^no customer id/ : role === 'date' ? /^not a date/ : /^not a number/;
      broken(names[role]!, value, reason, `${names[role]} = ${JSON.stringify(value)} (empty)`);
      if (role === 'amount') entry.amount = undefined;
      return true;
    }
    default:
      return false;
  }
}

// ---------------------------------------------------------------------------------------------------------------
// Checking one load

interface Problem {
  readonly property: string;
  readonly detail: string;
}

interface QuarantineRow {
  file: string | null;
  row_number: number | null;
  column_name: string | null;
  raw_value: string | null;
  reason: string | null;
}

interface RawRow {
  key: string | null;
  product_category: string | null;
  customer_id: string | null;
  order_date: string | null;
  amount_cny: number | null;
  _row_number: number | null;
}

/** Reasons that are about one value, so they must say which column. */
const VALUE_REASON = /^(not a date|not a number|not a whole number|required value is missing|unexpected value|duplicate |no customer id)|not found in /;

const errorText = (error: unknown) => (error instanceof Error ? `${error.name}: ${error.message}` : String(error)).split('\n').slice(0, 3).join(' ⏎ ').slice(0, 400);

/** P1 for a rejection: what is wrong with it, if anything. */
function checkRejection(error: unknown, corruptedFiles: readonly string[], expected: { file: string; mentions: readonly string[] } | undefined,
  allowed: ((message: string) => boolean) | undefined): Problem[] {
  const problems: Problem[] = [];
  const message = error instanceof Error ? error.message : String(error);
  if (!(error instanceof Error) || error instanceof TypeError || error instanceof RangeError || !corruptedFiles.some((f) => message.includes(f))) {
    problems.push({ property: 'P1 crash: rejected without naming the file (or as a TypeError/RangeError/non-Error)', detail: errorText(error) });
  }
  if (expected) {
    if (!message.startsWith(expected.file)) {
      problems.push({ property: 'P1 whole-file error does not start with the offending file path', detail: `expected to start with ${expected.file}; got ${errorText(error)}` });
    }
    const missing = expected.mentions.filter((m) => !message.includes(m));
    if (missing.length > 0) problems.push({ property: 'P1 whole-file error does not name the missing column', detail: `lacks ${missing.join(', ')}: ${errorText(error)}` });
  } else if (!allowed?.(message)) {
    problems.push({ property: 'P1 a row-level problem aborted the whole load (rows should be quarantined)', detail: errorText(error) });
  }
  return problems;
}

/** P2: every quarantine row belongs to a file of the load, and there are as many as the load reports. */
async function checkQuarantineTotal(warehouse: Warehouse, files: readonly { file: string; rows_quarantined: number }[]): Promise<Problem[]> {
  const [total] = await warehouse.rows<{ n: number; stray: number }>(
    `select count(*)::integer as n, count(*) filter (where file is null or file not in (${files.map((f) => `'${f.file.replaceAll("'", "''")}'`).join(', ')}))::integer as stray from quarantine`);
  const reported = files.reduce((sum, f) => sum + f.rows_quarantined, 0);
  if (total?.n === reported && total.stray === 0) return [];
  return [{ property: 'P2 quarantine rows not accounted for by the files of the load', detail: `${total?.n} quarantine rows (${total?.stray} without a file of this load), rows_quarantined totals ${reported}` }];
}

interface FileCheck {
  readonly model: CsvModel;
  readonly written: WrittenFile;
  readonly relation: string;
  readonly key: string;
}

/** P2–P5 for one file of a resolved load. */
async function checkFile(warehouse: Warehouse, reconciliation: { rows_read: number; rows_loaded: number; rows_quarantined: number } | undefined,
  { model, written, relation, key }: FileCheck, orderLog: boolean): Promise<Problem[]> {
  const problems: Problem[] = [];
  const at = (entry: Entry) => `row ${entry.label}${entry.line !== undefined ? ` on line ${entry.line}` : ''}${entry.note ? ` [${entry.note}]` : ''}`;
  if (!reconciliation) return [{ property: 'P2 file missing from the load result', detail: model.path }];
  const { rows_read: read, rows_loaded: loaded, rows_quarantined: quarantined } = reconciliation;
  if (read !== loaded + quarantined) {
    problems.push({ property: 'P2 rows_read ≠ rows_loaded + rows_quarantined', detail: `${model.path}: ${read} ≠ ${loaded} + ${quarantined}` });
  }
  const [raw] = await warehouse.rows<{ n: number }>(`select count(*)::integer as n from ${relation}`);
  // order logs: every order id here is unique except deliberate conflicts, which must not be merged, so a line is an order
  if (raw?.n !== loaded) problems.push({ property: 'P2 raw table row count ≠ rows_loaded', detail: `${relation} has ${raw?.n} rows, rows_loaded = ${loaded} (${model.path})` });
  const quarantine = await warehouse.rows<QuarantineRow>('select file, row_number::integer as row_number, column_name, raw_value, reason from quarantine where file = $1 order by row_number', [model.path]);
  if (quarantine.length !== quarantined) {
    problems.push({ property: 'P2 quarantine rows for the file ≠ rows_quarantined', detail: `${quarantine.length} rows in quarantine, rows_quarantined = ${quarantined} (${model.path})` });
  }
  for (const q of quarantine) {
    if (q.row_number === null || q.row_number < 2 || q.row_number > written.lines) {
      problems.push({ property: 'P2 quarantine row_number outside 2..lines of the file', detail: `row_number ${q.row_number}, file has ${written.lines} lines: ${JSON.stringify(q)}` });
    }
    if (!q.reason) problems.push({ property: 'P2 quarantine row without a reason', detail: JSON.stringify(q) });
    if (q.column_name === null && VALUE_REASON.test(q.reason ?? '')) {
      problems.push({ property: 'P2 quarantine row about a value has no column_name', detail: JSON.stringify(q) });
    }
  }

  const bounds = recordBounds(model, written);
  if (read < bounds.min || read > bounds.max) {
    problems.push({
      property: 'P3 rows_read ≠ data records written',
      detail: `rows_read ${read}, expected ${bounds.min === bounds.max ? bounds.min : `${bounds.min}..${bounds.max}`} (${bounds.why}) in ${model.path}`,
    });
  }

  const rawRows = await warehouse.rows<RawRow>(orderLog
    ? `select order_id as key, customer_id, order_date::varchar as order_date, amount_cny::double as amount_cny, product_category, _row_number::integer as _row_number from ${relation}`
    : `select ${key} as key, null as customer_id, null as order_date, null as amount_cny, null as product_category, _row_number::integer as _row_number from ${relation}`);
  const sameAmount = (r: RawRow, amount: string) => r.amount_cny !== null && Math.abs(r.amount_cny - Number(amount)) < 0.005;
  for (const entry of model.mode === 'rows' ? model.entries : []) {
    if (entry.kind !== 'row' || entry.fate === 'unknown' || entry.fate === 'derive') continue;
    if (entry.fate === 'load') {
      // an order-log line is found by its amount (unique), then its other values are compared
      const mine = orderLog ? rawRows.filter((r) => sameAmount(r, entry.amount!)) : rawRows.filter((r) => r.key === entry.id);
      if (mine.length !== 1) {
        problems.push({ property: 'P5 an untouched row is not loaded (exactly once)', detail: `${at(entry)} found ${mine.length} time(s) in ${relation} (${model.path})` });
        continue;
      }
      const row = mine[0]!;
      if (orderLog) {
        const expectedValues = { customer_id: entry.customerId, order_date: entry.isoDate, ...(entry.id ? { key: entry.id } : {}), ...(entry.product ? { product_category: entry.product } : {}) };
        const altered = Object.entries(expectedValues).filter(([field, value]) => row[field as keyof RawRow] !== value);
        if (altered.length > 0) {
          problems.push({
            property: 'P5 an untouched row is loaded with altered values',
            detail: `${at(entry)}: ${altered.map(([field, value]) => `${field} ${JSON.stringify(row[field as keyof RawRow])} instead of ${JSON.stringify(value)}`).join(', ')} (${model.path})`,
          });
        }
      }
      if (entry.lineKnown && row._row_number !== entry.line) {
        problems.push({ property: 'P5 a loaded row has the wrong _row_number', detail: `${at(entry)} loaded with _row_number ${row._row_number} (${model.path})` });
      }
      continue;
    }
    // deliberately broken: never loaded (P4, told by what the row holds: its key, or its unique amount in an
    // order log; not by line, which P5 checks), and quarantined at its line under its column (P5)
    const leaked: string[] = [];
    if (orderLog) {
      if (entry.amount !== undefined && rawRows.some((r) => sameAmount(r, entry.amount!))) leaked.push(`its amount ${entry.amount} is in ${relation}`);
      const anchor = entry.dupOf;
      if (anchor && anchor.fate === 'load') {
        const order = rawRows.find((r) => r.key === anchor.id);
        if (order && (order.customer_id !== anchor.customerId || !sameAmount(order, anchor.amount!))) {
          leaked.push(`order ${anchor.id} became ${JSON.stringify(order)}: expected only ${anchor.customerId}'s line of ${anchor.amount}`);
        }
      }
    } else if (entry.dupOf) {
      const withKey = rawRows.filter((r) => r.key === entry.id);
      if (withKey.length > 1) leaked.push(`${withKey.length} raw rows have ${key} ${entry.id}`);
    } else if (entry.id !== '' && rawRows.some((r) => r.key === entry.id)) {
      leaked.push(`${key} ${entry.id} is in ${relation}`);
    } else if (entry.id === '' && rawRows.some((r) => r.key === null || r.key.trim() === '')) {
      leaked.push(`${relation} has a row without ${key}`);
    }
    if (leaked.length > 0) problems.push({ property: 'P4 a deliberately broken row is in the raw table', detail: `${at(entry)}: ${leaked.join('; ')} (${model.path})` });

    if (entry.lineKnown) {
      const mine = quarantine.filter((q) => q.row_number === entry.line);
      if (mine.length === 0) {
        const near = quarantine.map((q) => `${q.row_number}:${q.column_name}`).join(', ');
        problems.push({ property: 'P5 a broken row is not quarantined at its line', detail: `${at(entry)}; quarantine has [${near}] (${model.path})` });
      } else if (entry.column !== undefined && !mine.some((q) => q.column_name === entry.column && (!entry.reason || entry.reason.test(q.reason ?? '')))) {
        problems.push({
          property: 'P5 a broken row is quarantined with the wrong column or reason',
          detail: `${at(entry)}: expected ${entry.column} / ${entry.reason}, got ${mine.map((q) => `${q.column_name} / ${JSON.stringify(q.reason)}`).join('; ')} (${model.path})`,
        });
      }
    }
  }
  return problems;
}

interface CaseResult {
  readonly name: string;
  readonly corruptions: readonly string[];
  readonly files: readonly string[];
  readonly problems: readonly Problem[];
}

async function runFolderCase(folder: FolderCase): Promise<CaseResult> {
  const customersWritten = writeModel(folder.customers);
  deriveOrderFates(folder);
  const ordersWritten = writeModel(folder.orders);
  const models = [folder.customers, folder.orders];
  const corrupted = models.filter((m) => m.corruptions.length > 0).map((m) => m.path);
  // the loader checks every file's header, in sources.yml order, before reading any row
  const fatal = models.find((m) => m.mode === 'empty' || m.headerProblem);
  const expected = fatal && {
    file: fatal.path,
    mentions: fatal.mode === 'empty' ? [fatal.columns[0]!] : [fatal.headerProblem!.column],
  };
  const warehouse = await Warehouse.open(':memory:');
  const problems: Problem[] = [];
  try {
    let result: Awaited<ReturnType<typeof loadStep>> | undefined;
    try {
      result = await loadStep(warehouse, folder.dir, undefined, undefined, ACCEPT_ANY_REJECTS);
    } catch (error) {
      problems.push(...checkRejection(error, corrupted, expected, undefined));
    }
    if (result) {
      if (expected) {
        problems.push({ property: 'P1 a whole-file problem (empty file / missing header column) did not stop the load', detail: `${expected.file} should have been refused` });
      } else {
        const byTable = new Map(result.files.map((f) => [f.table, f]));
        problems.push(...await checkQuarantineTotal(warehouse, result.files));
        problems.push(...await checkFile(warehouse, byTable.get('customers'), { model: folder.customers, written: customersWritten, relation: 'raw_customers', key: 'customer_id' }, false));
        problems.push(...await checkFile(warehouse, byTable.get('orders'), { model: folder.orders, written: ordersWritten, relation: 'raw_orders', key: 'order_id' }, false));
        for (const table of ['activities', 'surveys', 'referrals', 'tickets']) {
          const file = byTable.get(table);
          if (!file || file.rows_read !== 0 || file.rows_loaded !== 0 || file.rows_quarantined !== 0) {
            problems.push({ property: 'P2 an untouched header-only file does not reconcile to 0 rows', detail: `${table}: ${JSON.stringify(file)}` });
          }
        }
      }
    }
  } finally {
    warehouse.close();
  }
  return {
    name: folder.name, files: [folder.dir], problems,
    corruptions: models.flatMap((m) => m.corruptions.map((c) => `${m.table}.csv: ${c}`)),
  };
}

async function runLogCase(log: LogCase): Promise<CaseResult> {
  const { model, names } = log;
  const written = writeModel(model);
  const expected = model.mode === 'empty'
    ? { file: model.path, mentions: ['not recognised as an order log'] }
    : model.headerProblem
      ? { file: model.path, mentions: [MISSING_ROLE_MESSAGE[(['customer', 'date', 'amount'] as const).find((r) => names[r] === model.headerProblem!.column)!]] }
      : undefined;
  // with no line whose date is known to be good, refusing the file for its date format is a whole-file answer
  const noGoodLine = !model.entries.some((e) => e.kind === 'row' && e.fate === 'load');
  const dateFormatError = (message: string) => noGoodLine && message.startsWith(`${model.path}, column "${names.date}"`);
  const warehouse = await Warehouse.open(':memory:');
  const problems: Problem[] = [];
  try {
    let result: Awaited<ReturnType<typeof loadStep>> | undefined;
    try {
      result = await loadStep(warehouse, model.path, undefined, undefined, ACCEPT_ANY_REJECTS);
    } catch (error) {
      problems.push(...checkRejection(error, [model.path], expected, dateFormatError));
    }
    if (result) {
      if (expected) {
        problems.push({ property: 'P1 a whole-file problem (empty file / missing header column) did not stop the load', detail: `${expected.file} should have been refused` });
      } else {
        if (result.files.length !== 1 || result.files[0]?.file !== model.path) {
          problems.push({ property: 'P2 the load result does not list the order log (once)', detail: JSON.stringify(result.files) });
        }
        problems.push(...await checkQuarantineTotal(warehouse, result.files));
        problems.push(...await checkFile(warehouse, result.files.find((f) => f.file === model.path), { model, written, relation: 'raw_orders', key: 'order_id' }, true));
      }
    }
  } finally {
    warehouse.close();
  }
  return { name: log.name, files: [model.path], problems, corruptions: [`columns ${model.columns.join(' | ')}`, ...model.corruptions] };
}

// ---------------------------------------------------------------------------------------------------------------
// Reporting

function report(family: string, results: readonly CaseResult[]): string {
  const failed = results.filter((r) => r.problems.length > 0);
  if (failed.length === 0) return '';
  const byProperty = new Map<string, { result: CaseResult; detail: string }[]>();
  for (const result of failed) {
    for (const problem of result.problems) {
      const list = byProperty.get(problem.property) ?? [];
      if (!list.some((x) => x.result === result)) list.push({ result, detail: problem.detail });
      byProperty.set(problem.property, list);
    }
  }
  const sections = [...byProperty].map(([property, list]) => [
    `● ${property}: ${list.length} case(s)`,
    ...list.slice(0, 3).map(({ result, detail }) => `    ${result.name}\n      corruptions: ${result.corruptions.join('; ')}\n      files: ${result.files.join(', ')}\n      → ${detail}`),
  ].join('\n'));
  return `FUZZ_SEED=${SEED}: ${failed.length} of ${results.length} ${family} failed (files of failed cases are kept).\n` +
    `Reproduce: ${REPRODUCE}\n${sections.join('\n')}`;
}

/** FUZZ_REPORT=<file.json> writes every failed case with all its problems (the assertion message shows three per property). */
function writeFullReport(family: string, results: readonly CaseResult[]): void {
  const target = process.env['FUZZ_REPORT'];
  if (!target) return;
  const file = target.replace(/(\.json)?$/, `.${family.replace(/\W+/g, '-')}.json`);
  writeFileSync(file, JSON.stringify({ seed: SEED, family, failed: results.filter((r) => r.problems.length > 0) }, null, 2));
}

function cleanUp(results: readonly CaseResult[]): void {
  for (const result of results) {
    if (result.problems.length > 0) continue;
    for (const file of result.files) rmSync(file.endsWith('.csv') || file.endsWith('.txt') ? join(file, '..') : file, { recursive: true, force: true });
  }
}

function countKinds(cases: readonly { kinds: readonly string[] }[]): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const c of cases) for (const kind of c.kinds) counts[kind] = (counts[kind] ?? 0) + 1;
  return counts;
}

// ---------------------------------------------------------------------------------------------------------------

describe(`loader fuzz (FUZZ_SEED=${SEED})`, () => {
  it(`${FOLDER_CASES} sample-layout folders with customers.csv / orders.csv broken: no crash, every row accounted for`, async () => {
    const folders = Array.from({ length: FOLDER_CASES }, (_, i) => generateFolder(i));
    expect(folders.filter((f) => f.kinds.length === 0).map((f) => f.name), `FUZZ_SEED=${SEED}: inputs left unbroken`).toEqual([]);
    const kinds = countKinds(folders);
    for (const kind of FOLDER_KINDS) {
      expect(kinds[kind] ?? 0, `FUZZ_SEED=${SEED}: corruption ${kind} never generated (${JSON.stringify(kinds)})`).toBeGreaterThan(0);
    }
    const results: CaseResult[] = [];
    for (const folder of folders) results.push(await runFolderCase(folder));
    writeFullReport('folders', results);
    cleanUp(results);
    expect(results.filter((r) => r.problems.length > 0).length, report('folders', results)).toBe(0);
  }, 180_000);

  it(`${ORDER_LOG_CASES} plain order-log CSV files, broken: no crash, every line accounted for`, async () => {
    const logs = Array.from({ length: ORDER_LOG_CASES }, (_, i) => generateOrderLog(i));
    expect(logs.filter((l) => l.kinds.length === 0).map((l) => l.name), `FUZZ_SEED=${SEED}: inputs left unbroken`).toEqual([]);
    const kinds = countKinds(logs);
    for (const kind of LOG_KINDS) {
      expect(kinds[kind] ?? 0, `FUZZ_SEED=${SEED}: corruption ${kind} never generated (${JSON.stringify(kinds)})`).toBeGreaterThan(0);
    }
    const results: CaseResult[] = [];
    for (const log of logs) results.push(await runLogCase(log));
    writeFullReport('order logs', results);
    cleanUp(results);
    expect(results.filter((r) => r.problems.length > 0).length, report('order logs', results)).toBe(0);
  }, 180_000);
});
