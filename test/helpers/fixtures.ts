import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { stringify } from 'yaml';
import { readYamlFile } from '../../pipelines/config/yaml-file.ts';
import { PROJECT_PATHS } from '../../pipelines/project-paths.ts';
import type { ProjectLocation } from '../../pipelines/pipeline/steps.ts';

/** Headers of the CRM export files, in the order the generator writes them. */
export const HEADERS = {
  customers: ['customer_id', 'customer_name', 'customer_type', 'region', 'channel', 'industry', 'source', 'account_type', 'owner', 'email', 'phone', 'created_date'],
  orders: ['order_id', 'customer_id', 'order_date', 'product_category', 'quantity', 'amount_cny', 'discount_cny', 'status'],
  activities: ['activity_id', 'customer_id', 'activity_date', 'activity_type', 'owner', 'note'],
  surveys: ['survey_id', 'customer_id', 'survey_date', 'satisfaction', 'nps_score'],
  referrals: ['referral_id', 'referrer_customer_id', 'referred_customer_id', 'referral_date'],
  tickets: ['ticket_id', 'customer_id', 'opened_date', 'category', 'priority', 'status'],
} as const;

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
