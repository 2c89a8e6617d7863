// `crm-tiers export`: one tier's customers as CSV, XLSX and Parquet, through the real command line, checked against
// customer_segments_current of the warehouse the pipeline built.
import { beforeAll, describe, expect, it } from 'vitest';
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import * as XLSX from '@e965/xlsx';
import { Warehouse } from '../pipelines/db/warehouse.ts';
import { REPO_ROOT } from '../pipelines/project-paths.ts';
import { exportCommand } from '../pipelines/commands/export.ts';
import { customer, order, projectWithSegmentation, tempDir, writeExports } from './helpers/fixtures.ts';

const CLI = join(REPO_ROOT, 'pipelines', 'bin', 'crm-tiers.mjs');

function crmTiers(...args: string[]): { status: number | null; stdout: string; stderr: string } {
  const result = spawnSync(process.execPath, [CLI, ...args], { encoding: 'utf8', cwd: REPO_ROOT, timeout: 120_000, env: { ...process.env, CI: '1' } });
  return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}

function mustRun(...args: string[]): string {
  const result = crmTiers(...args);
  expect(result.status, result.stderr).toBe(0);
  return result.stdout;
}

async function query<T extends object>(warehouse: string, sql: string, params: string[] = []): Promise<T[]> {
  const db = await Warehouse.open(warehouse, { readOnly: warehouse !== ':memory:' });
  try {
    return await db.rows<T>(sql, params);
  } finally {
    db.close();
  }
}

/** An RFC 4180 reader (quoted fields, doubled quotes, line breaks inside quotes), independent of the writer. */
function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let field = '';
  let quoted = false;
  for (let i = 0; i < text.length; i += 1) {
    const char = text[i]!;
    if (quoted) {
      if (char === '"' && text[i + 1] === '"') { field += '"'; i += 1; } else if (char === '"') quoted = false;
      else field += char;
    } else if (char === '"') quoted = true;
    else if (char === ',') { row.push(field); field = ''; } else if (char === '\r' && text[i + 1] === '\n') { row.push(field); rows.push(row); row = []; field = ''; i += 1; } else field += char;
  }
  if (field !== '' || row.length > 0) { row.push(field); rows.push(row); }
  return rows;
}

function readCsv(file: string): { bom: boolean; header: string[]; rows: Record<string, string>[] } {
  const bytes = readFileSync(file);
  const bom = bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf;
  const [header = [], ...rows] = parseCsv(bytes.subarray(bom ? 3 : 0).toString('utf8'));
  return { bom, header, rows: rows.map((r) => Object.fromEntries(header.map((h, i) => [h, r[i] ?? '']))) };
}

const sorted = (ids: readonly string[]) => [...ids].sort();

describe('crm-tiers export on a generated sample', () => {
  const work = tempDir('export');
  const warehouse = join(work, 'warehouse.duckdb');
  let gold: string[];

  beforeAll(async () => {
    mustRun('--json', 'generate', '--customers', '400', '--months', '18', '--seed', '7', '--out', join(work, 'exports'));
    mustRun('--warehouse', warehouse, '--json', 'run', '--input', join(work, 'exports'));
    gold = (await query<{ customer_id: string }>(warehouse, "select customer_id from customer_segments_current where value_tier = 'Gold'")).map((r) => r.customer_id);
    expect(gold.length).toBeGreaterThan(5);
  });

  it('writes CSV as UTF-8 with a BOM, one row per customer of the tier, that parses back', async () => {
    const file = join(work, 'gold.csv');
    const result = JSON.parse(mustRun('--warehouse', warehouse, '--json', 'export', '--scheme', 'value', '--tier', 'Gold', '--format', 'csv', '--out', file));
    expect(result).toMatchObject({ scheme: 'value', tier: 'Gold', tier_zh: '黄金', format: 'csv', lang: 'en', as_of_date: '2026-10-31', customers: gold.length, file });
    const csv = readCsv(file);
    expect(csv.bom).toBe(true);
    expect(csv.header.slice(0, 7)).toEqual(['Customer ID', 'Customer name', 'Customer type', 'Region', 'Channel', 'Member level', 'As of']);
    expect(csv.header).toEqual(expect.arrayContaining(['Lifetime revenue (CNY)', 'Orders', 'Last order date', 'RFM score', 'Customer score', 'CLV (CNY)', 'P(alive)', 'Email', 'Phone']));
    expect(csv.rows).toHaveLength(gold.length);
    expect(sorted(csv.rows.map((r) => r['Customer ID']!))).toEqual(sorted(gold));
    expect(new Set(csv.rows.map((r) => r['Member level']))).toEqual(new Set(['Gold']));
    // the numbers are the warehouse's
    const expected = await query<{ customer_id: string; monetary_cny: number; frequency_orders: number; last_order_date: string; email: string }>(warehouse, `
      select r.customer_id, r.monetary_cny::double as monetary_cny, r.frequency_orders, r.last_order_date, c.email
      from customer_rfm r join stg_customers c using (customer_id) where r.customer_id = $1`, [csv.rows[0]!['Customer ID']!]);
    expect(Number(csv.rows[0]!['Lifetime revenue (CNY)'])).toBeCloseTo(expected[0]!.monetary_cny, 2);
    expect(Number(csv.rows[0]!['Orders'])).toBe(expected[0]!.frequency_orders);
    expect(csv.rows[0]!['Last order date']).toBe(expected[0]!.last_order_date);
    expect(csv.rows[0]!['Email']).toBe(expected[0]!.email);
    // highest lifetime revenue first
    const revenue = csv.rows.map((r) => Number(r['Lifetime revenue (CNY)']));
    expect(revenue).toEqual([...revenue].sort((a, b) => b - a));
  });

  it('writes XLSX with Chinese headers under --lang zh, numbers as numbers and dates as dates', () => {
    const file = join(work, 'gold.xlsx');
    const stdout = mustRun('--warehouse', warehouse, 'export', '--scheme', 'value', '--tier', 'Gold', '--format', 'xlsx', '--lang', 'zh', '--out', file);
    expect(stdout).toBe(`Wrote ${gold.length} customers of value tier Gold (黄金) at 2026-10-31 to ${file}\n`);
    const workbook = XLSX.read(readFileSync(file), { cellDates: true });
    expect(workbook.SheetNames).toEqual(['会员等级-黄金']);
    const sheet = workbook.Sheets[workbook.SheetNames[0]!]!;
    const [header = [], ...rows] = XLSX.utils.sheet_to_json<unknown[]>(sheet, { header: 1, raw: true, defval: null });
    expect(header.slice(0, 8)).toEqual(['客户编号', '客户名称', '客户类型', '区域', '渠道', '会员等级', '评估日期', '累计消费金额（元）']);
    expect(header).toEqual(expect.arrayContaining(['最近下单日期', 'RFM 得分', '客户评分', '客户终身价值（元）', '存活概率', '邮箱', '电话']));
    expect(rows).toHaveLength(gold.length);
    expect(sorted(rows.map((r) => r[0] as string))).toEqual(sorted(gold));
    const column = (name: string) => header.indexOf(name);
    expect(new Set(rows.map((r) => r[column('会员等级')]))).toEqual(new Set(['黄金']));
    // a date cell is an Excel date (a number with a date format), an amount a number, a phone text
    expect(sheet['G2']).toMatchObject({ t: 'd', w: '2026-10-31' });
    expect((sheet['G2']!.v as Date).toISOString()).toBe('2026-10-31T00:00:00.000Z');
    expect(sheet['H2']!.t).toBe('n');
    expect(typeof rows[0]![column('累计订单数')]).toBe('number');
    expect(typeof rows[0]![column('电话')]).toBe('string');
  });

  it('writes Parquet that DuckDB reads back with typed columns', async () => {
    const file = join(work, 'gold.parquet');
    const result = JSON.parse(mustRun('--warehouse', warehouse, '--json', 'export', '--scheme', 'value', '--tier', 'Gold', '--format', 'parquet', '--out', file));
    expect(result.customers).toBe(gold.length);
    const rows = await query<{ id: string; as_of: string; revenue: number }>(':memory:',
      'select "Customer ID" as id, "As of" as as_of, "Lifetime revenue (CNY)" as revenue from read_parquet($1)', [file]);
    expect(sorted(rows.map((r) => r.id))).toEqual(sorted(gold));
    expect(new Set(rows.map((r) => r.as_of))).toEqual(new Set(['2026-10-31']));
    const types = await query<{ column_name: string; column_type: string }>(':memory:', 'select column_name, column_type from (describe select * from read_parquet($1))', [file]);
    const type = (name: string) => types.find((t) => t.column_name === name)?.column_type;
    expect(type('As of')).toBe('DATE');
    expect(type('Last order date')).toBe('DATE');
    expect(type('Lifetime revenue (CNY)')).toMatch(/^DECIMAL/);
    expect(type('Orders')).toBe('INTEGER');
    expect(type('Strategic account')).toBe('BOOLEAN');
  });

  it('takes the tier by its Chinese label, for every scheme, and matches customer_segments_current', async () => {
    const cases = [
      { scheme: 'abc', tier: 'A 类', column: 'abc_class', name: 'A' },
      { scheme: 'rfm', tier: '重要价值客户', column: 'rfm_segment', name: 'Champions' },
      { scheme: 'score', tier: '成长客户', column: 'score_tier', name: 'Growth' },
      { scheme: 'lifecycle', tier: '潜在客户', column: 'lifecycle_stage', name: 'Prospect' },
    ] as const;
    for (const c of cases) {
      const file = join(work, `${c.scheme}.csv`);
      const result = JSON.parse(mustRun('--warehouse', warehouse, '--json', 'export', '--scheme', c.scheme, '--tier', c.tier, '--format', 'csv', '--lang', 'zh', '--out', file));
      expect(result.tier).toBe(c.name);
      // the column comes from the fixed list above, the tier is a parameter
      const ids = (await query<{ customer_id: string }>(warehouse, `select customer_id from customer_segments_current where ${c.column} = $1`, [c.name])).map((r) => r.customer_id);
      expect(ids.length, c.scheme).toBeGreaterThan(0);
      const csv = readCsv(file);
      expect(sorted(csv.rows.map((r) => r['客户编号']!)), c.scheme).toEqual(sorted(ids));
      expect(result.customers).toBe(ids.length);
    }
  });

  it('exports a CLV tier of customer_clv', async () => {
    const file = join(work, 'clv.csv');
    const result = JSON.parse(mustRun('--warehouse', warehouse, '--json', 'export', '--scheme', 'clv', '--tier', 'top', '--format', 'csv', '--out', file));
    const ids = (await query<{ customer_id: string }>(warehouse, "select customer_id from customer_clv where clv_tier = 'Top'")).map((r) => r.customer_id);
    expect(result).toMatchObject({ tier: 'Top', customers: ids.length });
    const csv = readCsv(file);
    expect(sorted(csv.rows.map((r) => r['Customer ID']!))).toEqual(sorted(ids));
    expect(csv.header).toContain('CLV tier');
    expect(csv.rows.every((r) => Number(r['CLV (CNY)']) > 0 && r['P(alive)'] !== '')).toBe(true);
    // the tier's Chinese label from models/segmentation.yml clv.tiers names it too
    const zh = JSON.parse(mustRun('--warehouse', warehouse, '--json', 'export', '--scheme', 'clv', '--tier', '顶级价值', '--format', 'csv', '--lang', 'zh', '--out', join(work, 'clv-zh.csv')));
    expect(zh).toMatchObject({ tier: 'Top', tier_zh: '顶级价值', customers: ids.length });
  });

  it('names the allowed tiers and schemes when given an unknown one', () => {
    const tier = crmTiers('--warehouse', warehouse, 'export', '--scheme', 'value', '--tier', 'Platinum', '--format', 'csv', '--out', join(work, 'x.csv'));
    expect(tier.status).toBe(2);
    expect(tier.stderr).toBe('crm-tiers: unknown tier "Platinum" for scheme value; the tiers are: Diamond (钻石), Gold (黄金), Silver (白银), Regular (普通)\n');
    expect(existsSync(join(work, 'x.csv'))).toBe(false);
    const scheme = crmTiers('--warehouse', warehouse, 'export', '--scheme', 'vip', '--tier', 'Gold', '--format', 'csv');
    expect(scheme.status).not.toBe(0);
    expect(scheme.stderr).toMatch(/Allowed choices are value, abc, score, rfm, lifecycle, clv/);
    const extension = crmTiers('--warehouse', warehouse, 'export', '--scheme', 'value', '--tier', 'Gold', '--format', 'csv', '--out', join(work, 'x.xlsx'));
    expect(extension.stderr).toMatch(/ends in \.xlsx but --format is csv/);
  });

  it('names the file after scheme, tier and date by default', async () => {
    const outDir = join(work, 'out');
    const result = await exportCommand({ warehousePath: warehouse, scheme: 'rfm', tier: "can't lose them", format: 'xlsx', outDir, now: new Date(2026, 11, 1, 9, 30) });
    expect(result.file).toBe(join(outDir, 'rfm-can-t-lose-them-2026-12-01.xlsx'));
    expect(existsSync(result.file)).toBe(true);
    const library = await exportCommand({ warehousePath: warehouse, scheme: 'VALUE', tier: 'gold', format: 'csv', outDir, now: new Date(2026, 11, 1) });
    expect(library).toMatchObject({ scheme: 'value', tier: 'Gold', customers: gold.length, file: join(outDir, 'value-gold-2026-12-01.csv') });
    await expect(exportCommand({ warehousePath: warehouse, scheme: 'vip', tier: 'Gold', format: 'csv', outDir }))
      .rejects.toThrow('unknown scheme "vip"; --scheme must be one of value, abc, score, rfm, lifecycle, clv');
  });
});

describe('crm-tiers export on a hand-made warehouse', () => {
  const work = tempDir('export-hand');
  const warehouse = join(work, 'warehouse.duckdb');

  beforeAll(() => {
    const input = writeExports(join(work, 'exports'), {
      customers: [
        customer('G1', { customer_name: 'Gold, "Quoted" & Co', email: 'g1@example.com', phone: '+86 21 5555 0101' }),
        customer('G2', { customer_name: ' 上海\n换行公司', phone: '02155550202' }),
        customer('G3', { customer_name: '无邮箱公司', email: '', phone: '' }),
        customer('D1', { customer_name: '钻石客户' }),
        customer('P1', { customer_name: '潜在客户甲', created_date: '2024-01-05' }),
      ],
      orders: [
        order('G1', '2024-03-01', 40000), order('G2', '2024-04-01', 35000), order('G3', '2024-05-01', 31000),
        order('D1', '2024-02-01', 150000), order('D1', '2024-06-20', 1000),
      ],
    });
    // G3 has no e-mail or phone of its own: the export takes its first contact's (by created date)
    writeFileSync(join(input, 'contacts.csv'), [
      'contact_id,customer_id,contact_name,email,phone,created_date',
      'K2,G3,李四,later@example.com,13900000002,2023-06-01',
      'K1,G3,张三,first@example.com,13900000001,2023-02-01',
      'K3,G3,王五,,13900000003,2023-01-01',
    ].join('\n'));
    mustRun('--warehouse', warehouse, '--json', 'run', '--input', input);
  });

  it('quotes names with commas, quotes and line breaks, keeps phones as text, and falls back to contacts', () => {
    const file = join(work, 'gold.csv');
    const result = JSON.parse(mustRun('--warehouse', warehouse, '--json', 'export', '--scheme', 'value', '--tier', '黄金', '--format', 'csv', '--out', file));
    expect(result).toMatchObject({ tier: 'Gold', customers: 3, as_of_date: '2024-06-30' });
    const text = readFileSync(file, 'utf8');
    expect(text).toContain('"Gold, ""Quoted"" & Co"');
    const { rows } = readCsv(file);
    expect(rows.map((r) => [r['Customer ID'], r['Customer name'], r['Email'], r['Phone']])).toEqual([
      ['G1', 'Gold, "Quoted" & Co', 'g1@example.com', '+86 21 5555 0101'],
      ['G2', '上海\n换行公司', 'G2@example.com', '02155550202'],
      // phone from K3, the first contact with a phone; e-mail from K1, the first with an e-mail
      ['G3', '无邮箱公司', 'first@example.com', '13900000003'],
    ]);
    expect(rows.map((r) => r['Lifetime revenue (CNY)'])).toEqual(['40000', '35000', '31000']);
  });

  it('writes a Chinese XLSX that keeps phone numbers as text, and exports prospects by lifecycle stage', () => {
    const file = join(work, 'gold.xlsx');
    mustRun('--warehouse', warehouse, 'export', '--scheme', 'value', '--tier', 'Gold', '--format', 'xlsx', '--lang', 'zh', '--out', file);
    const sheet = XLSX.read(readFileSync(file)).Sheets['会员等级-黄金']!;
    const rows = XLSX.utils.sheet_to_json<Record<string, unknown>>(sheet, { raw: true });
    expect(rows.map((r) => [r['客户编号'], r['电话'], r['会员等级'], r['累计消费金额（元）']])).toEqual([
      ['G1', '+86 21 5555 0101', '黄金', 40000], ['G2', '02155550202', '黄金', 35000], ['G3', '13900000003', '黄金', 31000],
    ]);
    const prospects = JSON.parse(mustRun('--warehouse', warehouse, '--json', 'export', '--scheme', 'lifecycle', '--tier', 'prospect', '--format', 'parquet', '--out', join(work, 'prospects.parquet')));
    expect(prospects).toMatchObject({ tier: 'Prospect', tier_zh: '潜在客户', customers: 1 });
  });

  it('never pastes what the user typed into SQL: quotes in the tier and in the output path are harmless', async () => {
    const injected = crmTiers('--warehouse', warehouse, 'export', '--scheme', 'value', '--tier', "Gold' or '1'='1", '--format', 'csv', '--out', join(work, 'x.csv'));
    expect(injected.status).toBe(2);
    expect(injected.stderr).toMatch(/unknown tier "Gold' or '1'='1" for scheme value/);
    const file = join(work, `it's "here"`, 'gold.parquet');
    const result = JSON.parse(mustRun('--warehouse', warehouse, '--json', 'export', '--scheme', 'value', '--tier', 'Gold', '--format', 'parquet', '--out', file));
    expect(result).toMatchObject({ customers: 3, file });
    const rows = await query<{ id: string }>(':memory:', 'select "Customer ID" as id from read_parquet($1)', [file]);
    expect(rows.map((r) => r.id)).toEqual(['G1', 'G2', 'G3']);
  });

  it('says so when the scheme is switched off in the config the warehouse was built with', () => {
    const rules = projectWithSegmentation((config) => { (config['abc'] as Record<string, unknown>)['enabled'] = false; });
    const other = join(work, 'no-abc.duckdb');
    mustRun('--warehouse', other, '--json', 'run', '--input', join(work, 'exports'), '--config', rules.segmentationConfig);
    const result = crmTiers('--warehouse', other, 'export', '--scheme', 'abc', '--tier', 'A', '--format', 'csv', '--out', join(work, 'abc.csv'));
    expect(result.status).toBe(2);
    expect(result.stderr).toMatch(/scheme abc has no tiers: it is switched off \(enabled: false\)/);
  });

  it('writes just the header for an empty tier', () => {
    const file = join(work, 'silver.csv');
    const result = JSON.parse(mustRun('--warehouse', warehouse, '--json', 'export', '--scheme', 'value', '--tier', 'Silver', '--format', 'csv', '--out', file));
    expect(result.customers).toBe(0);
    const csv = readCsv(file);
    expect(csv.rows).toEqual([]);
    expect(csv.header[0]).toBe('Customer ID');
  });
});
