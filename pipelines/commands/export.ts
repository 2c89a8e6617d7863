import { copyFileSync, mkdirSync, mkdtempSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, extname, join, resolve } from 'node:path';
import type { DuckDBValue } from '@duckdb/node-api';
import { createKysely } from '../db/kysely.ts';
import { quoteIdentifier, sqlString } from '../db/sql-text.ts';
import { withWarehouse, type Warehouse } from '../db/warehouse.ts';
import { REPO_ROOT } from '../project-paths.ts';
import type { WarehouseSchema } from '../db/schema.ts';
import { EXPORT_SCHEMES, findTier, isExportScheme, listTiers, type ExportScheme, type ExportTier } from '../export/tiers.ts';
import { exportColumns, exportQuery, header, type ExportLanguage, type ExportRow } from '../export/query.ts';
import { toCsv, toXlsx } from '../export/writers.ts';

export const EXPORT_FORMATS = ['csv', 'xlsx', 'parquet'] as const;
export type ExportFormat = (typeof EXPORT_FORMATS)[number];
export const EXPORT_LANGUAGES: readonly ExportLanguage[] = ['en', 'zh'];

/** Where exports go unless --out says otherwise (git-ignored). */
export const DEFAULT_EXPORT_DIR = join(REPO_ROOT, 'data', 'out');

export interface ExportOptions {
  readonly warehousePath: string;
  /** value, abc, score, rfm, lifecycle or clv. */
  readonly scheme: string;
  /** The tier's English name or Chinese label. */
  readonly tier: string;
  readonly format: ExportFormat;
  /** Headers (and the tier's name) in English or Chinese; default en. */
  readonly lang?: ExportLanguage;
  /** The file to write; default `<outDir>/<scheme>-<tier>-<today>.<format>`. */
  readonly out?: string;
  /** Folder of the default file name; default data/out. */
  readonly outDir?: string;
  /** Today, for the default file name (tests fix it). */
  readonly now?: Date;
}

export interface ExportResult {
  readonly scheme: ExportScheme;
  readonly tier: string;
  readonly tier_zh: string;
  readonly format: ExportFormat;
  readonly lang: ExportLanguage;
  /** The as-of date of customer_segments_current. */
  readonly as_of_date: string | null;
  readonly customers: number;
  readonly file: string;
}

/** Rows of an Excel sheet (1,048,576) less the header. */
const XLSX_MAX_ROWS = 1_048_575;

/** The marts and views an export reads; a warehouse without them has not been built yet. */
const REQUIRED_TABLES = ['customer_segments_current', 'segment_definitions', 'customer_rfm', 'customer_clv', 'stg_customers', 'stg_contacts'] as const;

/**
 * `crm-tiers export`: the customers of one tier of one scheme at the as-of date, with their key numbers, need
 * tags, email and phone, as CSV, XLSX or Parquet, for a campaign. The warehouse is opened read-only, and the
 * tier reaches SQL only as a bound parameter.
 */
export async function exportCommand(options: ExportOptions): Promise<ExportResult> {
  const scheme = options.scheme.trim().toLowerCase();
  if (!isExportScheme(scheme)) throw new Error(`unknown scheme "${options.scheme}"; --scheme must be one of ${EXPORT_SCHEMES.join(', ')}`);
  if (!(EXPORT_FORMATS as readonly string[]).includes(options.format)) throw new Error(`--format must be one of ${EXPORT_FORMATS.join(', ')} (got ${options.format})`);
  const lang = options.lang ?? 'en';
  if (!EXPORT_LANGUAGES.includes(lang)) throw new Error(`--lang must be one of ${EXPORT_LANGUAGES.join(', ')} (got ${lang})`);

  return withWarehouse(options.warehousePath, { readOnly: true }, async (warehouse) => {
    await checkBuilt(warehouse);
    const db = createKysely<WarehouseSchema>(warehouse);
    const tier = findTier(scheme, await listTiers(db, scheme), options.tier);
    const file = options.out !== undefined ? resolve(options.out) : defaultFile(options.outDir ?? DEFAULT_EXPORT_DIR, tier, options.format, options.now ?? new Date());
    checkExtension(file, options.format);
    mkdirSync(dirname(file), { recursive: true });

    const query = exportQuery(db, tier, lang);
    const columns = exportColumns(tier);
    let customers: number;
    if (options.format === 'parquet') {
      const compiled = query.compile();
      const select = columns.map((c) => `${quoteIdentifier(c.key)} as ${quoteIdentifier(header(c, lang))}`).join(', ');
      customers = await copyToParquet(warehouse, `select ${select} from (${compiled.sql}) as export_rows`, compiled.parameters as readonly DuckDBValue[], file);
    } else {
      const rows = (await query.execute()) as ExportRow[];
      if (options.format === 'xlsx' && rows.length > XLSX_MAX_ROWS) {
        throw new Error(`${tier.scheme} tier ${tier.name} has ${rows.length} customers, more than an Excel sheet holds (${XLSX_MAX_ROWS} below the header): export it as csv or parquet`);
      }
      const sheet = lang === 'zh' ? `${tier.scheme_label_zh}-${tier.name_zh}` : `${tier.scheme_label_en}-${tier.name}`;
      writeAtomically(file, options.format === 'csv' ? toCsv(columns, rows, lang) : toXlsx(columns, rows, lang, sheet));
      customers = rows.length;
    }
    const asOf = await db.selectFrom('customer_segments_current').select((eb) => eb.fn.max('as_of_date').as('as_of_date')).executeTakeFirst();
    return {
      scheme, tier: tier.name, tier_zh: tier.name_zh, format: options.format, lang,
      as_of_date: (asOf?.as_of_date as string | null | undefined) ?? null, customers, file,
    };
  });
}

async function checkBuilt(warehouse: Warehouse): Promise<void> {
  // tables and views alike (the staging models are views)
  const present = await warehouse.rows<{ name: string }>('select table_name as name from information_schema.tables where table_schema = current_schema()');
  const names = new Set(present.map((row) => row.name));
  const missing = REQUIRED_TABLES.filter((table) => !names.has(table));
  if (missing.length > 0) {
    throw new Error(`the warehouse ${warehouse.path} has no ${missing.join(', ')}: run \`crm-tiers run\` (or \`crm-tiers build\`) first`);
  }
}

/** `value-gold-2026-12-01.csv`: scheme, tier (its English name, made file-safe) and today's date. */
function defaultFile(outDir: string, tier: ExportTier, format: ExportFormat, now: Date): string {
  const slug = tier.name.normalize('NFKD').toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^-+|-+$/g, '') || `tier-${tier.rank}`;
  const pad = (n: number) => String(n).padStart(2, '0');
  const today = `${now.getFullYear()}-${pad(now.getMonth() + 1)}-${pad(now.getDate())}`;
  return resolve(outDir, `${tier.scheme}-${slug}-${today}.${format}`);
}

/** `--out list.xlsx --format csv` is a mistake Excel would punish later (it refuses the file); say so now. */
function checkExtension(file: string, format: ExportFormat): void {
  const extension = extname(file).slice(1).toLowerCase();
  const known = ['csv', 'xlsx', 'xls', 'parquet'];
  if (known.includes(extension) && extension !== format) {
    throw new Error(`--out ${file} ends in .${extension} but --format is ${format}: name the file .${format}, or change --format`);
  }
}

/** Writes next to the target and renames, so a reader never sees half a file. */
function writeAtomically(file: string, content: Buffer): void {
  const partial = `${file}.${process.pid}.part`;
  try {
    writeFileSync(partial, content);
    renameSync(partial, file);
  } catch (error) {
    rmSync(partial, { force: true });
    throw error;
  }
}

/**
 * DuckDB writes the Parquet file itself (COPY), into a folder of our own making so that no path the user typed
 * is pasted into SQL; then the file is moved into place. Returns the rows written.
 */
async function copyToParquet(warehouse: Warehouse, select: string, parameters: readonly DuckDBValue[], file: string): Promise<number> {
  const scratch = mkdtempSync(join(tmpdir(), 'crm-tiers-export-'));
  try {
    const written = join(scratch, 'export.parquet');
    const [result] = await warehouse.rows<{ Count: number }>(`copy (${select}) to ${sqlString(written)} (format parquet, compression zstd)`, parameters);
    const partial = `${file}.${process.pid}.part`;
    try {
      renameSync(written, partial);
    } catch {
      copyFileSync(written, partial); // another file system (EXDEV)
    }
    renameSync(partial, file);
    return Number(result?.Count ?? 0);
  } finally {
    rmSync(scratch, { recursive: true, force: true });
  }
}
