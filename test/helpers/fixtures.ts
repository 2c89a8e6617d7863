import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { stringify } from 'yaml';
import { readYamlFile } from '../../pipelines/config/yaml-file.ts';
import { PROJECT_PATHS } from '../../pipelines/project-paths.ts';
import type { ProjectLocation } from '../../pipelines/pipeline/steps.ts';
import { TABLE_COLUMNS } from '../../pipelines/generate/catalog.ts';

/** Headers of the CRM export files: the generator's, which models/sources.yml is written against. */
export const HEADERS = TABLE_COLUMNS;

export type TableName = keyof typeof HEADERS;
export type FixtureRow = Record<string, string | number>;

export function tempDir(prefix: string): string {
  const base = join(tmpdir(), 'crm-tiers-tests');
  mkdirSync(base, { recursive: true });
  return mkdtempSync(join(base, `${prefix}-`));
}

function csvField(value: string | number | undefined): string {
  const text = value === undefined ? '' : String(value);
  return /[",\n\r]/.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
}

/** Writes the six export files (empty ones with just a header) into `dir`. */
export function writeExports(dir: string, tables: Partial<Record<TableName, readonly FixtureRow[]>>): string {
  mkdirSync(dir, { recursive: true });
  for (const [table, header] of Object.entries(HEADERS) as [TableName, readonly string[]][]) {
    const rows = tables[table] ?? [];
    const lines = [header.join(','), ...rows.map((row) => header.map((column) => csvField(row[column])).join(','))];
    writeFileSync(join(dir, `${table}.csv`), `${lines.join('\n')}\n`);
  }
  return dir;
}

/** A customer row with sensible defaults, so a test spells out only what it is about. */
export function customer(id: string, overrides: FixtureRow = {}): FixtureRow {
  return {
    customer_id: id, customer_name: `客户${id}`, customer_type: 'B2B', region: '华东', channel: 'direct', industry: '制造业',
    source: 'web', account_type: 'standard', owner: '王伟', email: `${id}@example.com`, phone: '13800000000', created_date: '2023-01-01',
    ...overrides,
  };
}

let orderSequence = 0;
export function order(customerId: string, date: string, amount: number | string, status = 'completed'): FixtureRow {
  orderSequence += 1;
  return { order_id: `O${String(orderSequence).padStart(6, '0')}`, customer_id: customerId, order_date: date, product_category: '软件订阅', quantity: 1, amount_cny: amount, discount_cny: 0, status };
}

/** The real project, but with a segmentation config changed by `edit` (written to a temp file). */
export function projectWithSegmentation(edit: (config: Record<string, unknown>) => void): ProjectLocation {
  const config = structuredClone(readYamlFile(PROJECT_PATHS.segmentationConfig)) as Record<string, unknown>;
  edit(config);
  const file = join(tempDir('segmentation'), 'segmentation.yml');
  writeFileSync(file, stringify(config));
  return { ...PROJECT_PATHS, segmentationConfig: file };
}
