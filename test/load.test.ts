import { describe, expect, it } from 'vitest';
import { appendFileSync, unlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Warehouse } from '../pipelines/db/warehouse.ts';
import { loadStep } from '../pipelines/pipeline/steps.ts';
import { readHeader } from '../pipelines/ingest/load-sources.ts';
import { customer, order, tempDir, writeExports } from './helpers/fixtures.ts';

/** These fixtures are mostly bad rows on purpose; the reject-rate limit has its own test below. */
const ACCEPT_ANY_REJECTS = { maxRejectRate: 1 };

function messyExports(): string {
  const dir = writeExports(tempDir('load'), {
    customers: [
      customer('C1'),
      customer('C2', { customer_name: '北京"星辰",有限公司' }),
      customer('C2', { customer_name: 'duplicate' }), // line 4
      customer('C3', { customer_type: 'B2X' }), // line 5
      customer('C4', { created_date: '2024-13-05' }), // line 6
      customer('', { customer_name: 'no id' }), // line 7
    ],
    orders: [
      order('C1', '2024-02-01', '100.50'), // line 2
      order('C9', '2024-02-01', 10), // line 3: unknown customer
      order('C1', '2024-02-02', 'abc'), // line 4
      order('C2', '2024-02-03', 50, 'shipped'), // line 5
      order('C3', '2024-02-04', 70), // line 6: C3 itself was quarantined
    ],
  });
  appendFileSync(join(dir, 'orders.csv'), 'O999,C1,2024-02-05\n'); // line 7: too few columns
  appendFileSync(join(dir, 'orders.csv'), 'O998,C1,2024-02-06,x,1,5,0,completed\n'); // line 8: fine
  return dir;
}

describe('loading CRM exports', () => {
  it('loads good rows, quarantines each bad row with file, line, column, value and reason, and reconciles', async () => {
    const dir = messyExports();
    const warehouse = await Warehouse.open(':memory:');
    try {
      const result = await loadStep(warehouse, dir, undefined, undefined, ACCEPT_ANY_REJECTS);
      const byTable = Object.fromEntries(result.files.map((f) => [f.table, f]));
      expect(byTable['customers']).toMatchObject({ rows_read: 6, rows_loaded: 2, rows_quarantined: 4 });
      expect(byTable['orders']).toMatchObject({ rows_read: 7, rows_loaded: 2, rows_quarantined: 5 });
      for (const file of result.files) expect(file.rows_read).toBe(file.rows_loaded + file.rows_quarantined);

      const quarantine = await warehouse.rows(`select table_name, row_number, column_name, raw_value, reason from quarantine order by table_name, row_number`);
      expect(quarantine).toEqual([
        { table_name: 'customers', row_number: 4, column_name: 'customer_id', raw_value: 'C2', reason: 'duplicate customer_id (first seen on line 3)' },
        { table_name: 'customers', row_number: 5, column_name: 'customer_type', raw_value: 'B2X', reason: 'unexpected value (allowed: B2B, B2C)' },
        { table_name: 'customers', row_number: 6, column_name: 'created_date', raw_value: '2024-13-05', reason: 'not a date (expected YYYY-MM-DD)' },
        { table_name: 'customers', row_number: 7, column_name: 'customer_id', raw_value: null, reason: 'required value is missing' },
        { table_name: 'orders', row_number: 3, column_name: 'customer_id', raw_value: 'C9', reason: 'customer_id C9 not found in customers' },
        { table_name: 'orders', row_number: 4, column_name: 'amount_cny', raw_value: 'abc', reason: 'not a number' },
        { table_name: 'orders', row_number: 5, column_name: 'status', raw_value: 'shipped', reason: 'unexpected value (allowed: completed, pending, cancelled, refunded)' },
        { table_name: 'orders', row_number: 6, column_name: 'customer_id', raw_value: 'C3', reason: 'customer_id C3 not found in customers' },
        { table_name: 'orders', row_number: 7, column_name: 'product_category', raw_value: 'O999,C1,2024-02-05', reason: 'MISSING COLUMNS: Expected Number of Columns: 8 Found: 3' },
      ]);
      const loaded = await warehouse.rows(`select order_id, _row_number, _source_file from raw_orders order by _row_number`);
      expect(loaded).toEqual([
        { order_id: 'O000001', _row_number: 2, _source_file: join(dir, 'orders.csv') },
        { order_id: 'O998', _row_number: 8, _source_file: join(dir, 'orders.csv') },
      ]);
      const [name] = await warehouse.rows<{ customer_name: string }>(`select customer_name from raw_customers where customer_id = 'C2'`);
      expect(name?.customer_name).toBe('北京"星辰",有限公司');
      const [files] = await warehouse.rows<{ n: number }>('select count(*) as n from load_files');
      expect(files?.n).toBe(6);
    } finally {
      warehouse.close();
    }
  });

  it('quarantines a required value made only of spaces, ASCII or Unicode, and loads one that has more', async () => {
    const dir = writeExports(tempDir('load-blank'), {
      customers: [
        customer('C1'),
        customer('   '), // line 3
        customer('\u3000'), // line 4: ideographic space
        customer('\u00a0 '), // line 5: no-break space and a space
        customer(' C5'),
        customer('\u3000C6'),
        customer('C7', { customer_type: ' B2B' }),
      ],
      orders: [order('C1', '2024-02-01', 10)],
    });
    const warehouse = await Warehouse.open(':memory:');
    try {
      const result = await loadStep(warehouse, dir, undefined, undefined, ACCEPT_ANY_REJECTS);
      expect(result.files.find((f) => f.table === 'customers')).toMatchObject({ rows_read: 7, rows_loaded: 4, rows_quarantined: 3 });
      expect(await warehouse.rows(`select row_number, column_name, raw_value, reason from quarantine order by row_number`)).toEqual([
        { row_number: 3, column_name: 'customer_id', raw_value: '   ', reason: 'required value is missing' },
        { row_number: 4, column_name: 'customer_id', raw_value: '\u3000', reason: 'required value is missing' },
        { row_number: 5, column_name: 'customer_id', raw_value: '\u00a0 ', reason: 'required value is missing' },
      ]);
      expect(await warehouse.rows(`select customer_id from raw_customers order by _row_number`))
        .toEqual([{ customer_id: 'C1' }, { customer_id: ' C5' }, { customer_id: '\u3000C6' }, { customer_id: 'C7' }]);
    } finally {
      warehouse.close();
    }
  });

  it('replaces the previous load and its quarantine, instead of piling rows up', async () => {
    const dir = messyExports();
    const warehouse = await Warehouse.open(':memory:');
    try {
      await loadStep(warehouse, dir, undefined, undefined, ACCEPT_ANY_REJECTS);
      await loadStep(warehouse, dir, undefined, undefined, ACCEPT_ANY_REJECTS);
      const [counts] = await warehouse.rows<{ orders: number; quarantined: number }>(
        `select (select count(*) from raw_orders) as orders, (select count(*) from quarantine) as quarantined`);
      expect(counts).toEqual({ orders: 2, quarantined: 9 });
    } finally {
      warehouse.close();
    }
  });

  it('stops with the file and the missing columns named, leaving the warehouse as it was', async () => {
    const good = writeExports(tempDir('load-good'), { customers: [customer('C1')], orders: [order('C1', '2024-01-01', 5)] });
    const broken = writeExports(tempDir('load-broken'), { customers: [customer('C1'), customer('C2')] });
    writeFileSync(join(broken, 'orders.csv'), 'order_id,customer,order_date\nO1,C1,2024-01-01\n');
    const warehouse = await Warehouse.open(':memory:');
    try {
      await loadStep(warehouse, good);
      await expect(loadStep(warehouse, broken)).rejects.toThrow(
        `${join(broken, 'orders.csv')}: missing columns customer_id, product_category, quantity, amount_cny, discount_cny, status in the header row (found: order_id, customer, order_date)`);
      const [counts] = await warehouse.rows<{ customers: number }>('select count(*) as customers from raw_customers');
      expect(counts?.customers).toBe(1); // the half-done second load was rolled back
    } finally {
      warehouse.close();
    }
  });

  it('names a missing export file and how to get sample data', async () => {
    const warehouse = await Warehouse.open(':memory:');
    try {
      await expect(loadStep(warehouse, tempDir('empty'))).rejects.toThrow(/empty-\w+: holds no files to load .*; run `crm-tiers generate`/);
      const onlyOrders = writeExports(tempDir('load-no-customers'), { orders: [order('C1', '2024-01-01', 5)] });
      unlinkSync(join(onlyOrders, 'customers.csv'));
      await expect(loadStep(warehouse, onlyOrders)).rejects.toThrow(/customers\.csv: not found \(table customers\); run `crm-tiers generate`/);
    } finally {
      warehouse.close();
    }
  });

  it('quarantines a fractional quantity instead of rounding it', async () => {
    const dir = writeExports(tempDir('load-whole'), {
      customers: [customer('C1')],
      orders: [order('C1', '2024-01-01', 5), { ...order('C1', '2024-01-02', 6), quantity: '1.5' }, { ...order('C1', '2024-01-03', 7), quantity: '3.0' }],
    });
    const warehouse = await Warehouse.open(':memory:');
    try {
      await loadStep(warehouse, dir, undefined, undefined, ACCEPT_ANY_REJECTS);
      expect(await warehouse.rows('select row_number, column_name, raw_value, reason from quarantine')).toEqual([
        { row_number: 3, column_name: 'quantity', raw_value: '1.5', reason: 'not a whole number' },
      ]);
      expect(await warehouse.rows('select quantity from raw_orders order by _row_number')).toEqual([{ quantity: 1 }, { quantity: 3 }]);
    } finally {
      warehouse.close();
    }
  });

  it('changes nothing when the same files are loaded again, and loads them when one changes', async () => {
    const dir = writeExports(tempDir('load-again'), { customers: [customer('C1'), customer('C2')], orders: [order('C1', '2024-01-01', 5)] });
    const warehouse = await Warehouse.open(':memory:');
    try {
      const first = await loadStep(warehouse, dir);
      const second = await loadStep(warehouse, dir);
      expect(second.unchanged_since_load).toBe(first.load_id);
      const loads = async () => (await warehouse.rows<{ n: number }>('select count(distinct load_id) as n from load_files'))[0]?.n;
      expect(await loads()).toBe(1);
      writeExports(dir, { customers: [customer('C1'), customer('C2'), customer('C3')], orders: [order('C1', '2024-01-01', 5)] });
      const third = await loadStep(warehouse, dir);
      expect(third.unchanged_since_load).toBeUndefined();
      expect(await loads()).toBe(2);
      expect((await warehouse.rows<{ n: number }>('select count(*) as n from raw_customers'))[0]?.n).toBe(3);
    } finally {
      warehouse.close();
    }
  });

  it('fails a load that quarantines more of a file than the limit, naming the file, and keeps the data for a look', async () => {
    const dir = messyExports();
    const warehouse = await Warehouse.open(':memory:');
    try {
      await expect(loadStep(warehouse, dir)).rejects.toThrow(/too many rows quarantined \(limit 5\.0% per file\):\n\s+.*customers\.csv: 4 of 6 rows quarantined \(66\.7%\)\n\s+.*orders\.csv: 5 of 7 rows quarantined \(71\.4%\)[\s\S]*--max-reject-rate/);
      const [counts] = await warehouse.rows<{ quarantined: number }>('select count(*) as quarantined from quarantine');
      expect(counts?.quarantined).toBe(9);
      await expect(loadStep(warehouse, dir, undefined, undefined, { maxRejectRate: 0.75 })).resolves.toBeDefined();
    } finally {
      warehouse.close();
    }
  });

  it('reads a header with quotes and a UTF-8 byte-order mark', () => {
    const file = join(tempDir('header'), 'h.csv');
    writeFileSync(file, '\uFEFFcustomer_id,"name, full","say ""hi"""\r\nC1,x,y\r\n');
    expect(readHeader(file)).toEqual(['customer_id', 'name, full', 'say "hi"']);
  });
});
