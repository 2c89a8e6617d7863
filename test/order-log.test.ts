// Plain order logs: the real UCI Online Retail file, and small messy files made here, each with a known answer.
import { describe, expect, it } from 'vitest';
import { existsSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import iconv from 'iconv-lite';
import * as XLSX from '@e965/xlsx';
import { Warehouse } from '../pipelines/db/warehouse.ts';
import { buildStep, loadStep, testStep } from '../pipelines/pipeline/steps.ts';
import { describeFailures } from '../pipelines/runner/data-tests.ts';
import { REPO_ROOT } from '../pipelines/project-paths.ts';
import { tempDir } from './helpers/fixtures.ts';

const ONLINE_RETAIL = join(REPO_ROOT, '..', 'shared', 'datasets', 'online-retail', 'online_retail.parquet');

describe('UCI Online Retail (541,909 invoice lines)', () => {
  it('loads with its row counts reconciled, cancellations kept apart, and every model building and passing its tests', async () => {
    expect(existsSync(ONLINE_RETAIL), `${ONLINE_RETAIL} is the shared data set this test checks against`).toBe(true);
    const warehouse = await Warehouse.open(':memory:');
    try {
      // the expected numbers, straight from the file
      const [truth] = await warehouse.rows<{ lines: number; no_customer: number; invoices: number; cancellations: number; customers: number; revenue_gbp: number }>(`
        select count(*) as lines,
          count(*) filter (where CustomerID is null) as no_customer,
          count(distinct InvoiceNo) filter (where CustomerID is not null) as invoices,
          count(distinct InvoiceNo) filter (where CustomerID is not null and InvoiceNo like 'C%') as cancellations,
          count(distinct CustomerID) as customers,
          sum(Quantity * UnitPrice) filter (where CustomerID is not null and InvoiceNo not like 'C%') as revenue_gbp
        from read_parquet('${ONLINE_RETAIL}')`);
      // a quarter of the lines have no customer: accepted here on purpose
      const result = await loadStep(warehouse, ONLINE_RETAIL, undefined, undefined, { currency: 'GBP', maxRejectRate: 0.3 });
      expect(result.files).toEqual([{
        file: ONLINE_RETAIL, source: 'order-log', table: 'orders',
        rows_read: truth!.lines, rows_loaded: truth!.lines - truth!.no_customer, rows_quarantined: truth!.no_customer,
      }]);
      expect(truth).toMatchObject({ lines: 541909, no_customer: 135080, invoices: 22190, customers: 4372 });

      const [orders] = await warehouse.rows<{ orders: number; cancelled: number; customers: number; revenue_cny: number }>(`
        select count(*) as orders, count(*) filter (where status = 'cancelled') as cancelled,
          (select count(*) from raw_customers) as customers,
          sum(amount_cny) filter (where status = 'completed') as revenue_cny
        from raw_orders`);
      expect(orders).toMatchObject({ orders: truth!.invoices, cancelled: truth!.cancellations, customers: truth!.customers });
      // GBP at the rate in models/currencies.yml (9.0); each line is rounded to the fen
      expect(Math.abs(orders!.revenue_cny - truth!.revenue_gbp * 9)).toBeLessThan(0.01 * truth!.lines);

      const [quarantine] = await warehouse.rows<{ n: number; reasons: string[] }>(`select count(*) as n, list(distinct reason) as reasons from quarantine`);
      expect(quarantine).toEqual({ n: 135080, reasons: ['no customer id: the line cannot be attributed to a customer'] });

      await buildStep(warehouse, []);
      expect(describeFailures(await testStep(warehouse, []))).toEqual([]);
      const [asOf] = await warehouse.rows<{ as_of_date: string }>('select max(as_of_date) as as_of_date from customer_value_tier');
      expect(asOf?.as_of_date).toBe('2011-12-31');
    } finally {
      warehouse.close();
    }
  }, 120_000);
});

describe('messy order logs', () => {
  it('reads a GBK CSV with Chinese headers, ￥ amounts and slash dates; quarantines what does not parse, by line', async () => {
    const file = join(tempDir('order-log'), 'orders-gbk.csv');
    const text = [
      '订单编号,客户编号,下单时间,金额,地区',
      'A1,K001,2024/1/5,"￥1,234.50",华东',
      'A2,K001,2024/2/9 9:03,￥200,华东',
      'A3,,2024/2/10,￥50,华北', // line 4: no customer
      'A4,K002,2024/13/10,￥70,华北', // line 5: no such date
      'A5,K002,2024/3/1,N/A,华北', // line 6: no amount
      'A6,K002,2024/3/2,"￥3,000",华北',
    ].join('\r\n');
    writeFileSync(file, iconv.encode(text, 'gbk'));
    const warehouse = await Warehouse.open(':memory:');
    try {
      const result = await loadStep(warehouse, file, undefined, undefined, { maxRejectRate: 1 });
      expect(result.files[0]).toMatchObject({ rows_read: 6, rows_loaded: 3, rows_quarantined: 3 });
      expect(await warehouse.rows('select row_number, column_name, raw_value, reason from quarantine order by row_number')).toEqual([
        { row_number: 4, column_name: '客户编号', raw_value: null, reason: 'no customer id: the line cannot be attributed to a customer' },
        { row_number: 5, column_name: '下单时间', raw_value: '2024/13/10', reason: expect.stringMatching(/^not a date \(expected /) },
        { row_number: 6, column_name: '金额', raw_value: 'N/A', reason: 'not a number' },
      ]);
      expect(await warehouse.rows('select order_id, customer_id, order_date, amount_cny, status, _row_number from raw_orders order by order_id')).toEqual([
        { order_id: 'A1', customer_id: 'K001', order_date: '2024-01-05', amount_cny: 1234.5, status: 'completed', _row_number: 2 },
        { order_id: 'A2', customer_id: 'K001', order_date: '2024-02-09', amount_cny: 200, status: 'completed', _row_number: 3 },
        { order_id: 'A6', customer_id: 'K002', order_date: '2024-03-02', amount_cny: 3000, status: 'completed', _row_number: 7 },
      ]);
      expect(await warehouse.rows('select customer_id, region, created_date from raw_customers order by customer_id')).toEqual([
        { customer_id: 'K001', region: '华东', created_date: '2024-01-05' },
        { customer_id: 'K002', region: '华北', created_date: '2024-03-02' },
      ]);
    } finally {
      warehouse.close();
    }
  });

  it('refuses to guess day and month when every date fits both, and takes --date-format', async () => {
    const file = join(tempDir('order-log'), 'ambiguous.csv');
    writeFileSync(file, 'customer_id,order_date,amount\nc1,03/04/2024,10\nc2,05/06/2024,20\n');
    const warehouse = await Warehouse.open(':memory:');
    try {
      await expect(loadStep(warehouse, file)).rejects.toThrow(/ambiguous\.csv[\s\S]*order_date[\s\S]*--date-format/);
      await loadStep(warehouse, file, undefined, undefined, { dateOrder: 'DMY' });
      expect(await warehouse.rows('select customer_id, order_date from raw_orders order by customer_id')).toEqual([
        { customer_id: 'c1', order_date: '2024-04-03' },
        { customer_id: 'c2', order_date: '2024-06-05' },
      ]);
    } finally {
      warehouse.close();
    }
  });

  it('quarantines a line that gives an order another customer instead of merging it', async () => {
    const file = join(tempDir('order-log'), 'conflict.csv');
    writeFileSync(file, 'order_id,customer_id,order_date,amount\nA1,K1,2024-01-01,10\nA1,K2,2024-01-01,5\nA2,K2,2024-01-02,7\n');
    const warehouse = await Warehouse.open(':memory:');
    try {
      const result = await loadStep(warehouse, file, undefined, undefined, { maxRejectRate: 1 });
      expect(result.files[0]).toMatchObject({ rows_read: 3, rows_loaded: 2, rows_quarantined: 1 });
      expect(await warehouse.rows('select row_number, column_name, raw_value, reason from quarantine')).toEqual([
        { row_number: 3, column_name: 'customer_id', raw_value: 'K2', reason: 'order A1 belongs to customer K1 (line 2); this line names another customer' },
      ]);
      expect(await warehouse.rows('select order_id, customer_id, amount_cny from raw_orders order by order_id')).toEqual([
        { order_id: 'A1', customer_id: 'K1', amount_cny: 10 },
        { order_id: 'A2', customer_id: 'K2', amount_cny: 7 },
      ]);
    } finally {
      warehouse.close();
    }
  });

  it('quarantines malformed lines (too few or too many fields) with their file line, and loads the rest', async () => {
    const file = join(tempDir('order-log'), 'malformed.csv');
    writeFileSync(file, 'customer_id,order_date,amount\nK1,2024-01-01,10\nK2,2024-01-02\nK3,2024-01-03,30\nK4,2024-01-04,40,extra\nK5,2024-01-05,50\n');
    const warehouse = await Warehouse.open(':memory:');
    try {
      const result = await loadStep(warehouse, file, undefined, undefined, { maxRejectRate: 1 });
      expect(result.files[0]).toMatchObject({ rows_read: 5, rows_loaded: 3, rows_quarantined: 2 });
      expect(await warehouse.rows('select row_number, raw_value from quarantine order by row_number')).toEqual([
        { row_number: 3, raw_value: 'K2,2024-01-02' },
        { row_number: 5, raw_value: 'K4,2024-01-04,40,extra' },
      ]);
      expect(await warehouse.rows('select customer_id, _row_number from raw_orders order by customer_id')).toEqual([
        { customer_id: 'K1', _row_number: 2 },
        { customer_id: 'K3', _row_number: 4 },
        { customer_id: 'K5', _row_number: 6 },
      ]);
    } finally {
      warehouse.close();
    }
  });

  it('names sheet rows in an Excel order log, counting the empty rows it skipped, and lines after a blank line in a CSV', async () => {
    const dir = tempDir('order-log-rows');
    const xlsx = join(dir, '订单.xlsx');
    // row 1 header, row 3 and rows 5-6 empty, a bad date on sheet row 7
    const ws = XLSX.utils.aoa_to_sheet([
      ['客户编号', '下单时间', '金额'], ['K1', '2024-01-02', '10'], [], ['K2', '2024-01-03', '20'], [], [], ['K3', '2024-13-40', '30'], ['K4', '2024-01-05', '40'],
    ]);
    const wb = XLSX.utils.book_new();
    XLSX.utils.book_append_sheet(wb, ws, 'Sheet1');
    writeFileSync(xlsx, XLSX.write(wb, { type: 'buffer', bookType: 'xlsx' }) as Buffer);
    const csv = join(dir, 'orders.csv');
    writeFileSync(csv, 'customer_id,order_date,amount\nK1,2024-01-02,10\n\nK2,"2024-01-03",20\nK3,"bad\ndate",30\nK4,2024-01-05,40\nK5,2024-13-40,50\n');
    const warehouse = await Warehouse.open(':memory:');
    try {
      await loadStep(warehouse, xlsx, undefined, undefined, { maxRejectRate: 1 });
      expect(await warehouse.rows('select row_number, raw_value from quarantine')).toEqual([{ row_number: 7, raw_value: '2024-13-40' }]);
      expect(await warehouse.rows('select customer_id, _row_number from raw_orders order by 1')).toEqual([
        { customer_id: 'K1', _row_number: 2 }, { customer_id: 'K2', _row_number: 4 }, { customer_id: 'K4', _row_number: 8 },
      ]);
      await loadStep(warehouse, csv, undefined, undefined, { maxRejectRate: 1 });
      expect(await warehouse.rows('select row_number, raw_value from quarantine order by 1')).toEqual([
        { row_number: 5, raw_value: 'bad\ndate' }, { row_number: 8, raw_value: '2024-13-40' },
      ]);
      expect(await warehouse.rows('select customer_id, _row_number from raw_orders order by 1')).toEqual([
        { customer_id: 'K1', _row_number: 2 }, { customer_id: 'K2', _row_number: 4 }, { customer_id: 'K4', _row_number: 7 },
      ]);
    } finally {
      warehouse.close();
    }
  });

  it('says what an order log needs when a file is not one', async () => {
    const file = join(tempDir('order-log'), 'contacts.csv');
    writeFileSync(file, 'name,phone\nA,1\n');
    const warehouse = await Warehouse.open(':memory:');
    try {
      await expect(loadStep(warehouse, file)).rejects.toThrow(/contacts\.csv: not recognised as an order log: it needs a customer column .*, an order date column .*, an amount column .* \(found: name, phone\)/);
    } finally {
      warehouse.close();
    }
  });
});
