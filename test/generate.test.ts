import { createHash } from 'node:crypto';
import { mkdtemp, readFile, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DuckDBInstance, type DuckDBConnection } from '@duckdb/node-api';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  DEFAULT_GENERATE_OPTIONS,
  generateSample,
  type GenerateOptions,
  type GenerateSummary,
} from '../pipelines/generate/index.ts';

/** Written out here rather than imported: the SQL staging models depend on exactly these headers. */
const EXPECTED_HEADERS: Record<string, string> = {
  customers:
    'customer_id,customer_name,customer_type,region,channel,industry,source,account_type,owner,email,phone,created_date',
  orders: 'order_id,customer_id,order_date,product_category,quantity,amount_cny,discount_cny,status',
  activities: 'activity_id,customer_id,activity_date,activity_type,owner,note',
  surveys: 'survey_id,customer_id,survey_date,satisfaction,nps_score',
  referrals: 'referral_id,referrer_customer_id,referred_customer_id,referral_date',
  tickets: 'ticket_id,customer_id,opened_date,category,priority,status',
};
const TABLES = Object.keys(EXPECTED_HEADERS);

const scratch: string[] = [];
async function tempDir(label: string): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), `crm-tiers-generate-${label}-`));
  scratch.push(dir);
  return dir;
}

async function run(overrides: Partial<GenerateOptions>): Promise<GenerateSummary> {
  return generateSample({ ...DEFAULT_GENERATE_OPTIONS, outDir: await tempDir('run'), ...overrides });
}

async function hashes(summary: GenerateSummary): Promise<Record<string, string>> {
  const result: Record<string, string> = {};
  for (const file of summary.files) {
    result[file.table] = createHash('sha256').update(await readFile(file.file)).digest('hex');
  }
  return result;
}

afterAll(async () => {
  await Promise.all(scratch.map((dir) => rm(dir, { recursive: true, force: true })));
});

describe('generateSample: determinism and file layout', () => {
  const small = { customers: 300, months: 12, seed: 7 } as const;

  it('gives byte-identical files for the same options and different bytes for another seed', async () => {
    const first = await hashes(await run(small));
    const second = await hashes(await run(small));
    const other = await hashes(await run({ ...small, seed: 8 }));
    expect(Object.keys(first).sort()).toEqual([...TABLES].sort());
    expect(second).toEqual(first);
    expect(other['customers']).not.toBe(first['customers']);
    expect(other['orders']).not.toBe(first['orders']);
    expect(other['activities']).not.toBe(first['activities']);
  }, 30_000);

  it('writes the exact headers, and the summary counts the data lines', async () => {
    const progress: number[] = [];
    const summary = await run({ ...small, onProgress: (rows) => progress.push(rows) });
    expect(summary.files.map((f) => f.table)).toEqual(TABLES);
    expect(summary.seconds).toBeGreaterThan(0);
    expect((await readdir(summary.outDir)).sort()).toEqual(TABLES.map((t) => `${t}.csv`).sort()); // no .partial left
    let total = 0;
    for (const file of summary.files) {
      const text = await readFile(file.file, 'utf8');
      expect(text.endsWith('\n')).toBe(true);
      expect(text.includes('\r')).toBe(false);
      expect(text.slice(0, text.indexOf('\n'))).toBe(EXPECTED_HEADERS[file.table]);
      // quoted fields never span lines here, so data rows = lines - header
      const lines = text.split('\n').length - 2;
      expect(file.rows, file.table).toBe(lines);
      total += file.rows;
    }
    expect(summary.files.find((f) => f.table === 'customers')?.rows).toBe(300);
    expect(progress.at(-1)).toBe(total);
  }, 30_000);
});

describe('generateSample: integrity of a 3,000-customer, 36-month export', () => {
  let summary: GenerateSummary;
  let instance: DuckDBInstance;
  let con: DuckDBConnection;

  async function rows(sql: string): Promise<Record<string, unknown>[]> {
    return (await con.runAndReadAll(sql)).getRowObjectsJS() as Record<string, unknown>[];
  }
  async function one(sql: string): Promise<Record<string, unknown>> {
    const [row] = await rows(sql);
    if (!row) throw new Error(`no row from: ${sql}`);
    return row;
  }
  async function num(sql: string): Promise<number> {
    return Number(Object.values(await one(sql))[0]);
  }

  beforeAll(async () => {
    summary = await run({ customers: 3000, months: 36, seed: 42, endMonth: '2026-10' });
    instance = await DuckDBInstance.create(':memory:');
    con = await instance.connect();
    for (const file of summary.files) {
      // the staging models read the files like this: header row, types detected from the values
      await con.run(`create view ${file.table} as select * from read_csv('${file.file}', header = true)`);
    }
  }, 60_000);

  afterAll(() => {
    con?.closeSync();
    instance?.closeSync();
  });

  it('parses every file into as many rows as the summary says (quoted notes included)', async () => {
    for (const file of summary.files) {
      expect(await num(`select count(*) from ${file.table}`), file.table).toBe(file.rows);
    }
    expect(await num(`select count(*) from activities where note like '%,%' or note like '%"%'`)).toBeGreaterThan(0);
  });

  it('has unique, well-formed ids', async () => {
    const ids = [
      ['customers', 'customer_id', '^C[0-9]{7}$'],
      ['orders', 'order_id', '^O[0-9]{8}$'],
      ['activities', 'activity_id', '^A[0-9]+$'],
      ['surveys', 'survey_id', '^S[0-9]+$'],
      ['referrals', 'referral_id', '^R[0-9]+$'],
      ['tickets', 'ticket_id', '^T[0-9]+$'],
    ] as const;
    for (const [table, column, pattern] of ids) {
      const row = await one(
        `select count(*)::int n, count(distinct ${column})::int d,
                count(*) filter (where not regexp_full_match(${column}, '${pattern}'))::int bad from ${table}`,
      );
      expect(row, table).toEqual({ n: row['n'], d: row['n'], bad: 0 });
      expect(row['n'], table).toBeGreaterThan(0);
    }
  });

  it('references only existing customers', async () => {
    for (const [table, column] of [
      ['orders', 'customer_id'], ['activities', 'customer_id'], ['surveys', 'customer_id'], ['tickets', 'customer_id'],
      ['referrals', 'referrer_customer_id'], ['referrals', 'referred_customer_id'],
    ] as const) {
      expect(
        await num(`select count(*) from ${table} t anti join customers c on c.customer_id = t.${column}`),
        `${table}.${column}`,
      ).toBe(0);
    }
  });

  it('keeps all dates inside the window and no order before its customer was created', async () => {
    for (const [table, column] of [
      ['customers', 'created_date'], ['orders', 'order_date'], ['activities', 'activity_date'],
      ['surveys', 'survey_date'], ['referrals', 'referral_date'], ['tickets', 'opened_date'],
    ] as const) {
      const row = await one(`select min(${column})::varchar lo, max(${column})::varchar hi,
        count(*) filter (where ${column} is null)::int missing from ${table}`);
      expect(row['missing'], table).toBe(0);
      expect(String(row['lo']) >= '2023-11-01', `${table} ${row['lo']}`).toBe(true);
      expect(String(row['hi']) <= '2026-10-31', `${table} ${row['hi']}`).toBe(true);
    }
    for (const [table, column] of [['orders', 'order_date'], ['activities', 'activity_date'],
      ['surveys', 'survey_date'], ['tickets', 'opened_date']] as const) {
      expect(
        await num(`select count(*) from ${table} t join customers c using (customer_id) where t.${column} < c.created_date`),
        table,
      ).toBe(0);
    }
  });

  it('uses only the accepted values', async () => {
    const accepted = [
      ['customers', 'customer_type', ['B2B', 'B2C']],
      ['customers', 'region', ['华东', '华北', '华南', '华中', '西南', '西北', '东北']],
      ['customers', 'channel', ['direct', 'online', 'distributor', 'partner']],
      ['customers', 'source', ['referral', 'web', 'exhibition', 'cold_call', 'advertising', 'partner']],
      ['customers', 'account_type', ['standard', 'partner', 'strategic']],
      ['orders', 'product_category', ['软件订阅', '硬件设备', '实施服务', '培训', '耗材', '增值服务']],
      ['orders', 'status', ['completed', 'cancelled', 'refunded']],
      ['activities', 'activity_type', ['call', 'visit', 'email', 'wechat', 'meeting']],
      ['surveys', 'satisfaction', ['很满意', '满意', '一般', '不满意', '很不满意']],
      ['tickets', 'category', ['安装', '故障', '咨询', '投诉', '退换货']],
      ['tickets', 'priority', ['low', 'medium', 'high']],
      ['tickets', 'status', ['open', 'closed']],
    ] as const;
    for (const [table, column, values] of accepted) {
      const found = (await rows(`select distinct ${column}::varchar v from ${table}`)).map((r) => r['v']);
      expect(found.every((v) => (values as readonly unknown[]).includes(v)), `${table}.${column}: ${found}`).toBe(true);
    }
    // industry is from the list, or empty for (only) B2C customers
    const industries = await rows(`select distinct customer_type, industry from customers`);
    for (const { customer_type: type, industry } of industries) {
      if (industry === null) expect(type).toBe('B2C');
      else expect(['制造业', '零售', '互联网', '金融', '医疗', '教育', '物流', '餐饮']).toContain(industry);
    }
    const standard = await num(`select avg((account_type = 'standard')::int) from customers`);
    expect(standard).toBeGreaterThan(0.6);
  });

  it('has sensible numbers: quantities, amounts, discounts, statuses, NPS', async () => {
    const orders = await one(`select min(quantity)::int min_qty, min(amount_cny)::double min_amount,
        min(discount_cny)::double min_discount, avg((discount_cny > 0)::int)::double discounted,
        avg((status = 'completed')::int)::double completed from orders`);
    expect(orders['min_qty']).toBeGreaterThanOrEqual(1);
    expect(orders['min_amount']).toBeGreaterThan(0);
    expect(orders['min_discount']).toBe(0);
    expect(orders['discounted']).toBeGreaterThan(0.02);
    expect(orders['discounted']).toBeLessThan(0.5);
    expect(orders['completed']).toBeGreaterThan(0.92);
    expect(orders['completed']).toBeLessThan(0.98);
    const nps = await rows(`select satisfaction, min(nps_score)::int lo, max(nps_score)::int hi, avg(nps_score) mean
      from surveys group by all order by mean`);
    for (const row of nps) {
      expect(row['lo']).toBeGreaterThanOrEqual(0);
      expect(row['hi']).toBeLessThanOrEqual(10);
    }
    expect(nps.map((r) => r['satisfaction'])).toEqual(['很不满意', '不满意', '一般', '满意', '很满意']);
  });

  it('writes amounts with two decimals', async () => {
    const file = summary.files.find((f) => f.table === 'orders')?.file ?? '';
    const bad = await num(`select count(*) from read_csv('${file}', header = true, all_varchar = true)
      where not regexp_full_match(amount_cny, '[0-9]+\\.[0-9]{2}') or not regexp_full_match(discount_cny, '[0-9]+\\.[0-9]{2}')`);
    expect(bad).toBe(0);
  });

  it('tells the story: prospects, heavy-tailed revenue, won-back customers, every tier populated', async () => {
    const buyers = await one(`select count(*)::int customers,
        count(*) filter (where customer_id not in (select customer_id from orders))::int without_orders from customers`);
    expect(buyers['without_orders']).toBeGreaterThan(0.1 * Number(buyers['customers']));
    expect(buyers['without_orders']).toBeLessThan(0.4 * Number(buyers['customers']));

    const completedPerBuyer = await num(`select count(*) / count(distinct customer_id) from orders where status = 'completed'`);
    expect(completedPerBuyer).toBeGreaterThan(7);
    expect(completedPerBuyer).toBeLessThan(14);

    const topShare = await num(`with revenue as (select customer_id, sum(amount_cny) r from orders
        where status = 'completed' group by all),
      ranked as (select r, ntile(10) over (order by r desc) decile from revenue)
      select sum(r) filter (where decile = 1) / sum(r) from ranked`);
    expect(topShare).toBeGreaterThan(0.4);

    const wonBack = await num(`with gaps as (select customer_id,
        order_date - lag(order_date) over (partition by customer_id order by order_date, order_id) gap from orders)
      select count(distinct customer_id) from gaps where gap > 180`);
    expect(wonBack).toBeGreaterThanOrEqual(3);

    const tiers = await one(`with t12m as (select customer_id, sum(amount_cny) r from orders
        where status = 'completed' and order_date > date '2025-10-31' group by all)
      select count(*) filter (where r >= 100000)::int diamond, count(*) filter (where r >= 30000 and r < 100000)::int gold,
        count(*) filter (where r >= 5000 and r < 30000)::int silver, count(*) filter (where r < 5000)::int regular from t12m`);
    for (const tier of ['diamond', 'gold', 'silver', 'regular']) expect(tiers[tier], tier).toBeGreaterThan(10);

    const b2b = await one(`select median(amount_cny) filter (where customer_type = 'B2B')::double b2b,
        median(amount_cny) filter (where customer_type = 'B2C')::double b2c from orders join customers using (customer_id)`);
    expect(Number(b2b['b2b'])).toBeGreaterThan(10 * Number(b2b['b2c']));
  });

  it('has seasonality: Nov/Dec and June busier than the Spring Festival months', async () => {
    const row = await one(`select
        count(*) filter (where month(order_date) in (6, 11, 12)) / 3 busy,
        count(*) filter (where month(order_date) in (1, 2)) / 2 slow from orders`);
    expect(Number(row['busy'])).toBeGreaterThan(1.3 * Number(row['slow']));
  });

  it('keeps referrals consistent with customers and orders', async () => {
    const referrals = await num(`select count(*) from referrals`);
    const referralCustomers = await num(`select count(*) from customers where source = 'referral'`);
    expect(referrals).toBeGreaterThan(0.7 * referralCustomers);
    expect(referrals).toBeLessThanOrEqual(referralCustomers);
    expect(await num(`select count(*) from referrals r join customers c on c.customer_id = r.referred_customer_id
      where c.source <> 'referral' or c.created_date <> r.referral_date`)).toBe(0);
    expect(await num(`select count(*) - count(distinct referred_customer_id) from referrals`)).toBe(0);
    expect(await num(`select count(*) from referrals r where not exists (select 1 from orders o
      where o.customer_id = r.referrer_customer_id and o.order_date < r.referral_date)`)).toBe(0);
    expect(await num(`select count(*) from referrals r join customers a on a.customer_id = r.referrer_customer_id
      where a.created_date >= r.referral_date`)).toBe(0);
  });

  it('has surveys from about 30 % of buyers and tickets roughly in proportion to orders', async () => {
    const share = await num(`select (select count(distinct customer_id) from surveys) / (select count(distinct customer_id) from orders)`);
    expect(share).toBeGreaterThan(0.2);
    expect(share).toBeLessThan(0.4);
    const ticketsPerOrder = await num(`select (select count(*) from tickets) / (select count(*) from orders)`);
    expect(ticketsPerOrder).toBeGreaterThan(0.03);
    expect(ticketsPerOrder).toBeLessThan(0.3);
  });
});

describe('generateSample: option validation', () => {
  const cases: Array<[Partial<GenerateOptions>, RegExp]> = [
    [{ customers: -3 }, /^generate: --customers must be a positive integer.*\(got -3\)$/],
    [{ customers: 1.5 }, /--customers must be a positive integer.*\(got 1\.5\)/],
    [{ customers: 10_000_000 }, /--customers .*\(got 10000000\)/],
    [{ months: 0 }, /--months must be an integer from 1 to \d+ \(got 0\)/],
    [{ seed: Number.NaN }, /--seed must be an integer \(got NaN\)/],
    [{ endMonth: '2026-13' }, /--end-month must be .*YYYY-MM \(got "2026-13"\)/],
    [{ endMonth: 'october' }, /--end-month .*\(got "october"\)/],
    [{ outDir: '  ' }, /--out must be a non-empty path/],
  ];
  for (const [overrides, message] of cases) {
    it(`rejects ${JSON.stringify(overrides)}`, async () => {
      await expect(run(overrides)).rejects.toThrow(message);
    });
  }

  it('rejects a wrongly typed option from JavaScript callers', async () => {
    const bad = { ...DEFAULT_GENERATE_OPTIONS, customers: '10' } as unknown as GenerateOptions;
    await expect(generateSample(bad)).rejects.toThrow(/--customers .*\(got "10"\)/);
  });

  it('has the documented defaults', () => {
    expect(DEFAULT_GENERATE_OPTIONS).toEqual({
      customers: 5000, months: 36, seed: 42, outDir: 'data/sample', endMonth: '2026-10',
    });
  });
});
