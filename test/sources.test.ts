// Real CRM exports: a fixture per source, written here (Excel with the xlsx library, GBK with iconv-lite, CSV with
// report footers…), each with a known expected result in the canonical tables and in staging.
import { describe, expect, it } from 'vitest';
import { copyFileSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import iconv from 'iconv-lite';
import * as XLSX from '@e965/xlsx';
import { Warehouse } from '../pipelines/db/warehouse.ts';
import { buildStep, DEFAULT_PROJECT, loadStep, testStep } from '../pipelines/pipeline/steps.ts';
import { describeFailures } from '../pipelines/runner/data-tests.ts';
import { detectExportKind } from '../pipelines/ingest/adapters/index.ts';
import { tempDir } from './helpers/fixtures.ts';

type Cell = string | number | null;

function writeSheet(path: string, rows: readonly (readonly Cell[])[], bookType: XLSX.BookType = 'xlsx'): string {
  const ws = XLSX.utils.aoa_to_sheet(rows.map((r) => [...r]));
  const wb = XLSX.utils.book_new();
  XLSX.utils.book_append_sheet(wb, ws, 'Sheet1');
  writeFileSync(path, XLSX.write(wb, { type: 'buffer', bookType }) as Buffer);
  return path;
}

function csv(rows: readonly (readonly Cell[])[]): string {
  const field = (v: Cell) => (v === null ? '' : /[",\n]/.test(String(v)) ? `"${String(v).replaceAll('"', '""')}"` : String(v));
  return `${rows.map((r) => r.map(field).join(',')).join('\n')}\n`;
}

async function withWarehouse<T>(work: (warehouse: Warehouse) => Promise<T>): Promise<T> {
  const warehouse = await Warehouse.open(':memory:');
  try {
    return await work(warehouse);
  } finally {
    warehouse.close();
  }
}

async function buildAndTest(warehouse: Warehouse): Promise<void> {
  await buildStep(warehouse, []);
  const failures = (await testStep(warehouse, [])).filter((t) => t.status !== 'pass');
  expect(failures, describeFailures(failures).join('\n')).toEqual([]);
}

/** A WukongCRM export folder: customers (.xlsx import template), contracts (.xlsx), payments (.xls), visits (GBK CSV). */
function writeWukongExports(dir: string): Record<string, string> {
  mkdirSync(dir, { recursive: true });
  const note = '注意事项：1、带*号的为必填项；2、日期格式为yyyy-mm-dd；3、请勿修改表头';
  const customers = writeSheet(join(dir, '客户.xlsx'), [
    [note],
    ['*客户名称', '客户来源', '手机', '电话', '网址', '邮箱', '客户行业', '客户级别', '下次联系时间', '备注', '锁定状态', '成交状态', '最后跟进时间', '负责人', '所属部门', '更新时间', '*创建时间'],
    ['北京星辰科技有限公司', '转介绍', '13800138000', null, 'xc.com', 'a@xc.com', 'IT', 'A（重点客户）', null, null, '未锁定', '已成交', '2024-03-01', '王伟', '销售一部', '2024-03-01', '2023-05-04 10:00'],
    ['上海云帆贸易', '展会', null, '021-5555', null, null, '贸易', 'B（普通客户）', null, '老客户', '未锁定', '已成交', null, '李娜', '销售二部', null, '2023-06-01 00:00'],
    ['广州小鹿', '网络', null, null, null, null, null, 'C（非优先客户）', null, null, '未锁定', '未成交', null, '李娜', '销售二部', null, '2024-01-05 00:00'],
  ]);
  const contracts = writeSheet(join(dir, '合同.xlsx'), [
    ['合同编号', '合同名称', '客户名称', '合同金额', '下单时间', '审核状态', '负责人'],
    ['HT-001', '年度框架', '北京星辰科技有限公司', '￥1,234.50', '2024/1/5', '审核通过', '王伟'],
    ['HT-002', '追加', '北京星辰科技有限公司', '¥2,000', '2024/2/7 9:03', '审核中', '王伟'],
    ['HT-003', '首单', '上海云帆贸易', '$100.00', '2024/3/9', '审核通过', '李娜'],
    ['HT-004', '作废单', '上海云帆贸易', '500', '2024/3/10', '审核未通过', '李娜'],
    ['HT-005', '无主', '不存在的公司', '800', '2024/3/11', '审核通过', '李娜'],
    ['HT-006', '坏金额', '广州小鹿', 'N/A', '2024/3/12', '审核通过', '李娜'],
  ]);
  const payments = writeSheet(join(dir, '回款.xls'), [
    ['回款编号', '客户名称', '合同编号', '回款日期', '回款金额', '回款方式'],
    ['HK-1', '北京星辰科技有限公司', 'HT-001', '2024-01-20', '1234.50', '银行转账'],
    ['HK-2', '上海云帆贸易', 'HT-003', '2024-03-20', '$100.00', '支票'],
    ['HK-3', '上海云帆贸易', 'HT-999', '2024-03-21', '10', '支票'],
  ], 'biff8');
  const visits = join(dir, '回访.csv');
  writeFileSync(visits, iconv.encode(csv([
    ['回访编号', '回访时间', '客户名称', '客户满意度', '回访形式'],
    ['HF-1', '2024-02-01', '北京星辰科技有限公司', '很满意', '电话'],
    ['HF-2', '2024-04-01', '上海云帆贸易', '一般', '上门'],
    ['HF-3', '2024-04-02', '上海云帆贸易', '还行吧', '上门'],
  ]), 'gbk'));
  return { customers, contracts, payments, visits };
}

describe('WukongCRM (悟空CRM) exports', () => {
  it('maps customers, contracts, payments and visits onto the canonical tables, joined by 客户名称 and 合同编号', async () => {
    const dir = tempDir('wukong');
    const files = writeWukongExports(dir);
    await withWarehouse(async (warehouse) => {
      const result = await loadStep(warehouse, dir, undefined, undefined, { maxRejectRate: 1 });
      const byFile = Object.fromEntries(result.files.map((f) => [f.file, f]));
      expect(byFile[files.customers!]).toEqual({ file: files.customers, source: 'wukong', table: 'customers', rows_read: 3, rows_loaded: 3, rows_quarantined: 0 });
      expect(byFile[files.contracts!]).toEqual({ file: files.contracts, source: 'wukong', table: 'orders', rows_read: 6, rows_loaded: 4, rows_quarantined: 2 });
      expect(byFile[files.payments!]).toMatchObject({ source: 'wukong', table: 'payments', rows_read: 3, rows_loaded: 2, rows_quarantined: 1 });
      expect(byFile[files.visits!]).toMatchObject({ source: 'wukong', table: 'surveys', rows_read: 3, rows_loaded: 2, rows_quarantined: 1 });

      expect(await warehouse.rows(`select customer_id, source_id, level, level_raw, source, source_raw, lifecycle_stage, phone, created_date, _row_number
        from raw_customers order by _row_number`)).toEqual([
        { customer_id: '北京星辰科技有限公司', source_id: '北京星辰科技有限公司', level: 'A', level_raw: 'A（重点客户）', source: 'referral', source_raw: '转介绍', lifecycle_stage: 'customer', phone: '13800138000', created_date: '2023-05-04', _row_number: 3 },
        { customer_id: '上海云帆贸易', source_id: '上海云帆贸易', level: 'B', level_raw: 'B（普通客户）', source: '展会', source_raw: '展会', lifecycle_stage: 'customer', phone: '021-5555', created_date: '2023-06-01', _row_number: 4 },
        { customer_id: '广州小鹿', source_id: '广州小鹿', level: 'C', level_raw: 'C（非优先客户）', source: '网络', source_raw: '网络', lifecycle_stage: 'lead', phone: null, created_date: '2024-01-05', _row_number: 5 },
      ]);
      // only approved contracts are revenue; amounts converted to CNY (USD at 7.1, models/currencies.yml)
      expect(await warehouse.rows(`select order_id, order_date, amount_cny::double as amount_cny, amount_raw, currency, status, status_raw from raw_orders order by order_id`)).toEqual([
        { order_id: 'HT-001', order_date: '2024-01-05', amount_cny: 1234.5, amount_raw: '￥1,234.50', currency: null, status: 'completed', status_raw: '审核通过' },
        { order_id: 'HT-002', order_date: '2024-02-07', amount_cny: 2000, amount_raw: '¥2,000', currency: null, status: 'pending', status_raw: '审核中' },
        { order_id: 'HT-003', order_date: '2024-03-09', amount_cny: 710, amount_raw: '$100.00', currency: null, status: 'completed', status_raw: '审核通过' },
        { order_id: 'HT-004', order_date: '2024-03-10', amount_cny: 500, amount_raw: '500', currency: null, status: 'cancelled', status_raw: '审核未通过' },
      ]);
      expect(await warehouse.rows(`select table_name, file, row_number, column_name, raw_value, reason from quarantine order by table_name, row_number`)).toEqual([
        { table_name: 'orders', file: files.contracts, row_number: 6, column_name: 'customer_id', raw_value: '不存在的公司', reason: expect.stringMatching(/^customer_id 不存在的公司 not found in the customers from wukong/) },
        { table_name: 'orders', file: files.contracts, row_number: 7, column_name: '合同金额', raw_value: 'N/A', reason: 'required value is missing (amount_cny)' },
        { table_name: 'payments', file: files.payments, row_number: 4, column_name: 'order_id', raw_value: 'HT-999', reason: expect.stringMatching(/^order_id HT-999 not found in the orders from wukong/) },
        { table_name: 'surveys', file: files.visits, row_number: 4, column_name: '客户满意度', raw_value: '还行吧', reason: expect.stringMatching(/^unexpected value \(known: 很满意, 很不满意, 不满意, 一般, 满意\)/) },
      ]);
      expect(await warehouse.rows('select survey_id, customer_id, satisfaction, satisfaction_raw from raw_surveys order by survey_id')).toEqual([
        { survey_id: 'HF-1', customer_id: '北京星辰科技有限公司', satisfaction: '很满意', satisfaction_raw: '很满意' },
        { survey_id: 'HF-2', customer_id: '上海云帆贸易', satisfaction: '一般', satisfaction_raw: '一般' },
      ]);
      await buildAndTest(warehouse);
      expect(await warehouse.rows(`select customer_id, sum(amount_cny)::double as revenue_cny from stg_orders where is_revenue group by all order by all`)).toEqual([
        { customer_id: '上海云帆贸易', revenue_cny: 710 },
        { customer_id: '北京星辰科技有限公司', revenue_cny: 1234.5 },
      ]);
      expect(await warehouse.rows(`select customer_id, is_referred from stg_customers where is_referred`)).toEqual([{ customer_id: '北京星辰科技有限公司', is_referred: true }]);
    });
  });

  it('is recognised from its headers, and --source names what a file was expected to have when it does not match', async () => {
    expect(detectExportKind(['合同编号', '合同名称', '客户名称', '合同金额', '下单时间'])?.label).toBe('WukongCRM contracts (合同)');
    expect(detectExportKind(['客户名称', '客户级别', '创建时间'])?.label).toBe('WukongCRM customers (客户)');
    const dir = tempDir('wukong-source');
    const files = writeWukongExports(dir);
    await withWarehouse(async (warehouse) => {
      await expect(loadStep(warehouse, files.contracts!, undefined, undefined, { source: 'hubspot' }))
        .rejects.toThrow(/合同\.xlsx: not recognised as a hubspot export\. Expected headers: HubSpot deals: Record ID \+ Deal Stage/);
    });
  });
});

describe('HubSpot exports', () => {
  it('loads companies, contacts and deals; won deals are the revenue of a system without orders', async () => {
    const dir = tempDir('hubspot');
    writeFileSync(join(dir, 'companies.csv'), csv([
      ['Record ID', 'Company name', 'Create Date', 'Lifecycle Stage', 'Became a Customer Date', 'Became a Lead Date', 'Industry', 'Country/Region', 'Company owner'],
      ['101', 'Acme Corp', '2023-01-05 09:03', 'Customer', '2023-02-01 10:00', '2023-01-05 09:03', 'Software', 'United States', 'Jane Doe'],
      ['102', 'Globex', '2023-03-01 12:00', 'Lead', null, '2023-03-01 12:00', 'Energy', 'Germany', 'Jane Doe'],
    ]));
    writeFileSync(join(dir, 'contacts.csv'), csv([
      ['Record ID', 'First Name', 'Last Name', 'Email', 'Phone Number', 'Lifecycle Stage', 'Create Date', 'Became a Customer Date', 'Associated Company IDs'],
      ['9001', 'Ann', 'Lee', 'ann@acme.com', '+1 555 0100', 'Marketing Qualified Lead', '2023-01-06 08:00', null, '101'],
      ['9002', 'Bo', 'Chan', 'bo@globex.de', null, 'salesqualifiedlead', '2023-03-02 08:00', null, '102;101'],
    ]));
    writeFileSync(join(dir, 'deals.csv'), csv([
      ['Record ID', 'Deal Name', 'Deal Stage', 'Amount', 'Close Date', 'Create Date', 'Pipeline', 'Deal owner', 'Associated Company IDs'],
      ['501', 'Acme renewal', 'Closed Won', '$12,400.00', '2024-01-31 00:00', '2023-12-01 10:00', 'Sales Pipeline', 'Jane Doe', '101'],
      ['502', 'Acme upsell', 'Closed Lost', '$3,000.00', '2024-02-28 00:00', '2024-01-10 10:00', 'Sales Pipeline', 'Jane Doe', '101'],
      ['503', 'Globex pilot', 'Appointment Scheduled', '$1,000.00', '2024-06-30 00:00', '2024-03-01 10:00', 'Sales Pipeline', 'Jane Doe', '102'],
      ['504', 'Globex phase 2', 'closedwon', '$500.00', '2024-04-30 00:00', '2024-03-15 10:00', 'Sales Pipeline', 'Jane Doe', '102'],
    ]));
    await withWarehouse(async (warehouse) => {
      const result = await loadStep(warehouse, dir);
      expect(result.files.map((f) => [f.source, f.table, f.rows_read, f.rows_loaded, f.rows_quarantined])).toEqual([
        ['hubspot', 'customers', 2, 2, 0], ['hubspot', 'contacts', 2, 2, 0], ['hubspot', 'deals', 4, 4, 0],
      ]);
      expect(await warehouse.rows('select customer_id, lifecycle_stage, lifecycle_stage_raw, became_lead_date, became_customer_date, customer_type from raw_customers order by 1')).toEqual([
        { customer_id: '101', lifecycle_stage: 'customer', lifecycle_stage_raw: 'Customer', became_lead_date: '2023-01-05', became_customer_date: '2023-02-01', customer_type: 'B2B' },
        { customer_id: '102', lifecycle_stage: 'lead', lifecycle_stage_raw: 'Lead', became_lead_date: '2023-03-01', became_customer_date: null, customer_type: 'B2B' },
      ]);
      expect(await warehouse.rows('select contact_id, customer_id, contact_name, lifecycle_stage from raw_contacts order by 1')).toEqual([
        { contact_id: '9001', customer_id: '101', contact_name: 'Ann Lee', lifecycle_stage: 'marketing_qualified_lead' },
        { contact_id: '9002', customer_id: '102', contact_name: 'Bo Chan', lifecycle_stage: 'sales_qualified_lead' },
      ]);
      expect(await warehouse.rows('select deal_id, stage, stage_raw, amount_cny::double as amount_cny, close_date from raw_deals order by 1')).toEqual([
        { deal_id: '501', stage: 'won', stage_raw: 'Closed Won', amount_cny: 88040, close_date: '2024-01-31' },
        { deal_id: '502', stage: 'lost', stage_raw: 'Closed Lost', amount_cny: 21300, close_date: '2024-02-28' },
        { deal_id: '503', stage: 'open', stage_raw: 'Appointment Scheduled', amount_cny: 7100, close_date: '2024-06-30' },
        { deal_id: '504', stage: 'won', stage_raw: 'closedwon', amount_cny: 3550, close_date: '2024-04-30' },
      ]);
      await buildAndTest(warehouse);
      expect(await warehouse.rows(`select order_id, customer_id, order_date, amount_cny::double as amount_cny, source_record_type from stg_orders order by 1`)).toEqual([
        { order_id: '501', customer_id: '101', order_date: '2024-01-31', amount_cny: 88040, source_record_type: 'deal' },
        { order_id: '504', customer_id: '102', order_date: '2024-04-30', amount_cny: 3550, source_record_type: 'deal' },
      ]);
    });
  });
});

describe('Salesforce exports', () => {
  it('flags deleted and merged records, re-points a merged account\'s opportunities and quarantines report footers', async () => {
    const dir = tempDir('salesforce');
    writeFileSync(join(dir, 'Account.csv'), csv([
      ['Id', 'Name', 'Type', 'Industry', 'BillingCountry', 'AccountSource', 'OwnerId', 'CreatedDate', 'IsDeleted', 'MasterRecordId'],
      ['001A', 'Initech', 'Customer - Direct', 'Banking', 'USA', 'Partner Referral', '005X', '2023-01-02T10:00:00.000Z', 'false', null],
      ['001B', 'Initech (dup)', 'Customer - Direct', 'Banking', 'USA', 'Web', '005X', '2023-02-02T10:00:00.000Z', 'true', '001A'],
      ['001C', 'Hooli', 'Technology Partner', 'Technology', 'USA', 'Web', '005Y', '2023-03-02T10:00:00.000Z', 'false', null],
      ['001D', 'Gone Inc', 'Prospect', 'Retail', 'USA', 'Web', '005Y', '2023-03-03T10:00:00.000Z', 'true', null],
    ]));
    // a report export: labels for headers, and footer lines after a blank line
    writeFileSync(join(dir, 'Opportunities report.csv'), `${csv([
      ['Opportunity ID', 'Account ID', 'Opportunity Name', 'Stage', 'Amount', 'Opportunity Currency', 'Close Date', 'Created Date'],
      ['006-1', '001A', 'Initech core', 'Closed Won', '10,000.00', 'USD', '1/15/2024', '12/21/2023'],
      ['006-2', '001B', 'Initech add-on', 'Closed Won', '2,000.00 €', 'EUR', '2/20/2024', '1/5/2024'],
      ['006-3', '001C', 'Hooli pilot', 'Negotiation/Review', '5,000.00', 'USD', '6/30/2024', '3/1/2024'],
    ])}\n"Generated By:","Jane Admin"\n"Salesforce.com Inc."\n"Copyright (c) 2000-2024 salesforce.com, inc. All rights reserved."\n`);
    await withWarehouse(async (warehouse) => {
      const result = await loadStep(warehouse, dir, undefined, undefined, { maxRejectRate: 1 });
      expect(result.files.map((f) => [f.source, f.table, f.rows_read, f.rows_loaded, f.rows_quarantined])).toEqual([
        ['salesforce', 'customers', 4, 4, 0], ['salesforce', 'deals', 6, 3, 3],
      ]);
      expect(await warehouse.rows(`select reason, count(*)::integer as n from quarantine group by all`)).toEqual([
        { reason: 'Salesforce report footer line (not a record)', n: 3 },
      ]);
      expect(await warehouse.rows('select customer_id, is_deleted, merged_into_id, account_type, source from raw_customers order by 1')).toEqual([
        { customer_id: '001A', is_deleted: false, merged_into_id: null, account_type: 'standard', source: 'referral' },
        { customer_id: '001B', is_deleted: true, merged_into_id: '001A', account_type: 'standard', source: 'Web' },
        { customer_id: '001C', is_deleted: false, merged_into_id: null, account_type: 'partner', source: 'Web' },
        { customer_id: '001D', is_deleted: true, merged_into_id: null, account_type: 'standard', source: 'Web' },
      ]);
      await buildAndTest(warehouse);
      expect(await warehouse.rows('select customer_id from stg_customers order by 1')).toEqual([{ customer_id: '001A' }, { customer_id: '001C' }]);
      // the merged account's won opportunity counts once, for the surviving account; EUR at 7.7, USD at 7.1
      expect(await warehouse.rows('select order_id, customer_id, order_date, amount_cny::double as amount_cny from stg_orders order by 1')).toEqual([
        { order_id: '006-1', customer_id: '001A', order_date: '2024-01-15', amount_cny: 71000 },
        { order_id: '006-2', customer_id: '001A', order_date: '2024-02-20', amount_cny: 15400 },
      ]);
    });
  });
});

describe('Zoho CRM exports', () => {
  it('links deals to accounts through the lookup id column (Account Name.id)', async () => {
    const dir = tempDir('zoho');
    writeSheet(join(dir, 'Accounts.xlsx'), [
      ['Record Id', 'Account Name', 'Account Owner', 'Account Owner.id', 'Industry', 'Account Type', 'Created Time', 'Modified Time'],
      ['zcrm_1', 'Umbrella', 'Kim', 'zcrm_u1', 'Pharma', 'Customer', '2023-04-01 09:00:00', '2024-01-01 09:00:00'],
      ['zcrm_2', 'Umbrella', 'Kim', 'zcrm_u1', 'Pharma', 'Reseller', '2023-05-01 09:00:00', '2024-01-01 09:00:00'],
    ]);
    writeSheet(join(dir, 'Deals.xlsx'), [
      ['Record Id', 'Deal Name', 'Account Name', 'Account Name.id', 'Stage', 'Amount', 'Closing Date', 'Created Time', 'Deal Owner'],
      ['zcrm_d1', 'Vaccines', 'Umbrella', 'zcrm_2', 'Closed Won', '￥5,000', '2024-02-01', '2024-01-01 09:00:00', 'Kim'],
      ['zcrm_d2', 'Vaccines 2', 'Umbrella', 'zcrm_1', 'Closed-Lost to Competition', '￥7,000', '2024-03-01', '2024-01-02 09:00:00', 'Kim'],
      ['zcrm_d3', 'Cure', 'Umbrella', 'zcrm_9', 'Qualification', '￥1,000', '2024-05-01', '2024-01-03 09:00:00', 'Kim'],
    ]);
    await withWarehouse(async (warehouse) => {
      const result = await loadStep(warehouse, dir, undefined, undefined, { maxRejectRate: 1 });
      expect(result.files.map((f) => [f.source, f.table, f.rows_read, f.rows_loaded, f.rows_quarantined])).toEqual([
        ['zoho', 'customers', 2, 2, 0], ['zoho', 'deals', 3, 2, 1],
      ]);
      expect(await warehouse.rows('select deal_id, customer_id, stage from raw_deals order by 1')).toEqual([
        { deal_id: 'zcrm_d1', customer_id: 'zcrm_2', stage: 'won' },
        { deal_id: 'zcrm_d2', customer_id: 'zcrm_1', stage: 'lost' },
      ]);
      expect(await warehouse.rows('select row_number, column_name, raw_value from quarantine')).toEqual([{ row_number: 4, column_name: 'customer_id', raw_value: 'zcrm_9' }]);
      await buildAndTest(warehouse);
      expect(await warehouse.rows('select customer_id, amount_cny::double as amount_cny from stg_orders')).toEqual([{ customer_id: 'zcrm_2', amount_cny: 5000 }]);
    });
  });
});

describe('loading several exports', () => {
  it('replaces or appends as configured, and reloading the same files changes nothing', async () => {
    const dir = tempDir('append');
    const deals = (rows: readonly (readonly Cell[])[]) => csv([['Record ID', 'Deal Name', 'Deal Stage', 'Amount', 'Close Date', 'Create Date', 'Associated Company IDs'], ...rows]);
    writeFileSync(join(dir, 'companies.csv'), csv([['Record ID', 'Company name', 'Create Date'], ['1', 'A', '2023-01-01'], ['2', 'B', '2023-01-01']]));
    writeFileSync(join(dir, 'deals.csv'), deals([['d1', 'one', 'closedwon', '100', '2024-01-01', '2023-12-01', '1'], ['d2', 'two', 'open', '50', '2024-02-01', '2023-12-01', '2']]));
    const later = join(tempDir('append-later'), 'deals-march.csv');
    writeFileSync(later, deals([['d2', 'two', 'closedwon', '60', '2024-03-01', '2023-12-01', '2'], ['d3', 'three', 'closedwon', '70', '2024-03-02', '2024-01-01', '1']]));
    await withWarehouse(async (warehouse) => {
      await loadStep(warehouse, dir);
      const again = await loadStep(warehouse, dir);
      expect(again.unchanged_since_load).toBeDefined();
      // an incremental export: d2 is replaced by its newer version, d3 added, d1 kept; the companies stay
      await loadStep(warehouse, later, undefined, undefined, { mode: 'append' });
      expect(await warehouse.rows('select deal_id, stage, amount_cny::double as amount_cny from raw_deals order by 1')).toEqual([
        { deal_id: 'd1', stage: 'won', amount_cny: 100 }, { deal_id: 'd2', stage: 'won', amount_cny: 60 }, { deal_id: 'd3', stage: 'won', amount_cny: 70 },
      ]);
      expect(await warehouse.rows('select count(*)::integer as n from raw_customers')).toEqual([{ n: 2 }]);
      // replace: the warehouse holds exactly what this load read, so deals of unknown companies are quarantined
      const replaced = await loadStep(warehouse, later, undefined, undefined, { mode: 'replace', maxRejectRate: 1 });
      expect(replaced.files[0]).toMatchObject({ rows_read: 2, rows_loaded: 0, rows_quarantined: 2 });
      expect(await warehouse.rows('select count(*)::integer as n from raw_deals')).toEqual([{ n: 0 }]);
    });
  });

  it('maps headers no adapter knows through column_mappings in models/sources.yml', async () => {
    const dir = tempDir('mapping');
    const sourcesConfig = join(dir, 'sources.yml');
    writeFileSync(sourcesConfig, readFileSync(DEFAULT_PROJECT.sourcesConfig, 'utf8').replace('column_mappings: {}', 'column_mappings:\n  orders: { 会员卡号: customer_id, 消费日期: order_date, 消费金额: amount_cny }'));
    const file = join(dir, 'pos.csv');
    writeFileSync(file, csv([['会员卡号', '消费日期', '消费金额'], ['V1', '2024-01-02', '88'], ['V2', '2024-01-03', '12.5']]));
    copyFileSync(DEFAULT_PROJECT.currenciesConfig, join(dir, 'currencies.yml'));
    await withWarehouse(async (warehouse) => {
      const result = await loadStep(warehouse, file, { ...DEFAULT_PROJECT, sourcesConfig });
      expect(result.files).toEqual([{ file, source: 'order-log', table: 'orders', rows_read: 2, rows_loaded: 2, rows_quarantined: 0 }]);
      expect(await warehouse.rows('select customer_id, amount_cny::double as amount_cny from raw_orders order by 1')).toEqual([
        { customer_id: 'V1', amount_cny: 88 }, { customer_id: 'V2', amount_cny: 12.5 },
      ]);
    });
  });
});
