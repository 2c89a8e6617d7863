import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { existsSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import iconv from 'iconv-lite';
import * as XLSX from '@e965/xlsx';
import { Warehouse } from '../pipelines/db/warehouse.ts';
import {
  cleanHeaderNames, detectEncoding, findHeaderRow, prepareFile, type PreparedFile,
} from '../pipelines/ingest/files/index.ts';

// Fixtures are written by this file into its own temp folder; converted files go to a separate work folder so a
// test can see that cleanup empties it.
let root: string;
let workDir: string;
let warehouse: Warehouse;

beforeAll(async () => {
  root = mkdtempSync(join(tmpdir(), 'crm-tiers-files-'));
  workDir = join(root, 'work');
  warehouse = await Warehouse.open(':memory:');
});

afterAll(() => {
  warehouse?.close();
  rmSync(root, { recursive: true, force: true });
});

function fixture(name: string, content: Buffer | string): string {
  const path = join(root, name);
  writeFileSync(path, content);
  return path;
}

type TextRow = Record<string, string | null>;

async function scanRows(file: PreparedFile): Promise<TextRow[]> {
  return warehouse.rows<TextRow>(`select * from ${file.scanSql}`);
}

function workFiles(): string[] {
  return existsSync(workDir) ? readdirSync(workDir) : [];
}

const CHINESE_CSV = '客户名称,金额\n北京星辰科技有限公司,"￥1,234.50"\n';
const CHINESE_ROWS = [{ 客户名称: '北京星辰科技有限公司', 金额: '￥1,234.50' }];

describe('CSV encodings', () => {
  const cases: { name: string; bytes: () => Buffer; encoding: string; converted: boolean }[] = [
    { name: 'gbk.csv', bytes: () => iconv.encode(CHINESE_CSV, 'gbk'), encoding: 'gb18030', converted: true },
    { name: 'gb18030.csv', bytes: () => iconv.encode(CHINESE_CSV, 'gb18030'), encoding: 'gb18030', converted: true },
    { name: 'utf8.csv', bytes: () => Buffer.from(CHINESE_CSV, 'utf8'), encoding: 'utf8', converted: false },
    { name: 'utf8-bom.csv', bytes: () => Buffer.from(`\uFEFF${CHINESE_CSV}`, 'utf8'), encoding: 'utf8-bom', converted: false },
    { name: 'utf16le.csv', bytes: () => iconv.encode(CHINESE_CSV, 'utf-16le', { addBOM: true }), encoding: 'utf16le', converted: true },
    { name: 'utf16be.csv', bytes: () => iconv.encode(CHINESE_CSV, 'utf-16be', { addBOM: true }), encoding: 'utf16be', converted: true },
  ];

  for (const c of cases) {
    it(`${c.name}: detected as ${c.encoding}, exact headers and text`, async () => {
      const path = fixture(c.name, c.bytes());
      const file = await prepareFile(path, { workDir });
      try {
        expect(file).toMatchObject({
          format: 'csv', encoding: c.encoding, headers: ['客户名称', '金额'], sheet: null,
          headerRowNumber: 1, firstDataRowNumber: 2, emptyRowsSkipped: 0,
        });
        expect(await scanRows(file)).toEqual(CHINESE_ROWS);
        if (c.converted) expect(file.readPath.startsWith(workDir)).toBe(true);
        else expect(file.readPath).toBe(path); // UTF-8 is read in place
        expect(workFiles()).toHaveLength(c.converted ? 1 : 0);
      } finally {
        await file.cleanup();
      }
      expect(workFiles()).toEqual([]);
      expect(existsSync(path)).toBe(true);
    });
  }

  it('GB18030 keeps characters GBK lacks (4-byte sequences)', async () => {
    const text = '客户名称,联系人\n𠮷野家餐饮,€欧元 张三\n';
    const file = await prepareFile(fixture('gb18030-4byte.csv', iconv.encode(text, 'gb18030')), { workDir });
    try {
      expect(file.encoding).toBe('gb18030');
      expect(await scanRows(file)).toEqual([{ 客户名称: '𠮷野家餐饮', 联系人: '€欧元 张三' }]);
    } finally {
      await file.cleanup();
    }
  });

  it('a large GBK file streams through whole: every row, last row intact', async () => {
    const lines = ['客户编号,客户名称'];
    for (let i = 1; i <= 30_000; i++) lines.push(`C${i},客户${i}号有限公司`);
    const file = await prepareFile(fixture('big-gbk.csv', iconv.encode(`${lines.join('\r\n')}\r\n`, 'gbk')), { workDir });
    try {
      expect(file.encoding).toBe('gb18030');
      const [summary] = await warehouse.rows<{ n: number; last: string }>(
        `select count(*)::INTEGER as n, max_by("客户名称", "客户编号"[2:]::INTEGER) as last from ${file.scanSql}`);
      expect(summary).toEqual({ n: 30_000, last: '客户30000号有限公司' });
    } finally {
      await file.cleanup();
    }
  });
});

describe('detectEncoding', () => {
  it('a UTF-8 character cut by the end of the sample, or of a truncated file, is still UTF-8', () => {
    const cut = Buffer.from('名称,金额\n中文', 'utf8').subarray(0, -1);
    expect(detectEncoding(cut)).toBe('utf8');
    // a truncated export: the broken last character is the CSV reader's to reject, not a reason to read it all as GB18030
    expect(detectEncoding(cut, { wholeFile: true })).toBe('utf8');
  });

  it('BOMs decide; ASCII is UTF-8; GBK bytes are GB18030', () => {
    expect(detectEncoding(Buffer.from([0xef, 0xbb, 0xbf, 0x61]))).toBe('utf8-bom');
    expect(detectEncoding(Buffer.from([0xff, 0xfe, 0x61, 0x00]))).toBe('utf16le');
    expect(detectEncoding(Buffer.from([0xfe, 0xff, 0x00, 0x61]))).toBe('utf16be');
    expect(detectEncoding(Buffer.from('id,name\n1,a\n'))).toBe('utf8');
    expect(detectEncoding(iconv.encode('客户名称', 'gbk'))).toBe('gb18030');
  });
});

describe('CSV delimiters and header', () => {
  const delimited: [string, string][] = [['semicolon', ';'], ['tab', '\t'], ['pipe', '|']];
  for (const [name, d] of delimited) {
    it(`${name}-delimited: delimiter found from the header line`, async () => {
      const text = `客户名称${d}金额${d}备注\n北京星辰科技有限公司${d}"1.234,50"${d}"含${d}分隔符"\n上海${d}${d}x\n`;
      const file = await prepareFile(fixture(`${name}.csv`, text), { workDir });
      expect(file.csvOptions?.['delim']).toBe(`'${d}'`);
      expect(await scanRows(file)).toEqual([
        { 客户名称: '北京星辰科技有限公司', 金额: '1.234,50', 备注: `含${d}分隔符` },
        { 客户名称: '上海', 金额: null, 备注: 'x' },
      ]);
      await file.cleanup();
    });
  }

  it('quoted names, * prefixes, duplicates, blank lines before the header, CRLF, a line break inside a value', async () => {
    const text = '\r\n\r\n"*客户名称","金额, 元",金额,,"*客户名称"\r\nA,1,2,3,4\r\n"B ""引号""","多\r\n行",5,6,7\r\n';
    const file = await prepareFile(fixture('messy.csv', text), { workDir });
    expect(file.headers).toEqual(['客户名称', '金额, 元', '金额', 'column_4', '客户名称_2']);
    expect(file.headerRowNumber).toBe(3);
    expect(file.firstDataRowNumber).toBe(4);
    expect(await scanRows(file)).toEqual([
      { 客户名称: 'A', '金额, 元': '1', 金额: '2', column_4: '3', 客户名称_2: '4' },
      { 客户名称: 'B "引号"', '金额, 元': '多\r\n行', 金额: '5', column_4: '6', 客户名称_2: '7' },
    ]);
  });

  it('header only, with or without a final line break: columns and 0 rows', async () => {
    for (const [name, text] of [['header-only.csv', '客户名称,金额'], ['header-only-nl.csv', '客户名称,金额\n']] as const) {
      const file = await prepareFile(fixture(name, text), { workDir });
      expect(file.headers).toEqual(['客户名称', '金额']);
      expect(await scanRows(file)).toEqual([]);
    }
  });

  it('an empty file: no columns, 0 rows, no error', async () => {
    for (const [name, text] of [['empty.csv', ''], ['bom-only.csv', '\uFEFF'], ['blank-lines.csv', '\n\n']] as const) {
      const file = await prepareFile(fixture(name, text), { workDir });
      expect(file.headers).toEqual([]);
      expect(await scanRows(file)).toEqual([]);
    }
  });

  it('scan() adds loader options and can replace ours (typed columns, rejects tables)', async () => {
    const path = fixture('typed.csv', '客户名称,金额\nA,10.5\nB,abc\n');
    const file = await prepareFile(path, { workDir });
    const sql = file.scan({
      columns: `{'客户名称': 'VARCHAR', '金额': 'DECIMAL(18,2)'}`,
      store_rejects: 'true', rejects_table: "'rej_typed'", rejects_scan: "'rej_typed_scan'",
    });
    expect(sql).toContain('store_rejects = true');
    expect(sql.match(/columns =/g)).toHaveLength(1);
    expect(await warehouse.rows(`select "客户名称", "金额"::VARCHAR as "金额" from ${sql}`)).toEqual([{ 客户名称: 'A', 金额: '10.50' }]);
    const rejects = await warehouse.rows<{ line: number }>('select line::INTEGER as line from rej_typed');
    expect(rejects).toEqual([{ line: 3 }]); // DuckDB's line numbers are the original file's
    expect(file.sourceRowNumber(2)).toBe(3);
  });
});

/** A WukongCRM-style import sheet: a merged note row above the header, required headers marked with `*`. */
function crmWorkbook(): XLSX.WorkBook {
  const note = '注意事项：1、带*号的为必填项；2、日期格式为yyyy-mm-dd；3、请勿修改表头，否则无法导入';
  const ws: XLSX.WorkSheet = {
    A1: { t: 's', v: note },
    A2: { t: 's', v: '*客户名称' }, B2: { t: 's', v: '*金额' }, C2: { t: 's', v: '签约日期' },
    D2: { t: 's', v: '创建时间' }, E2: { t: 's', v: '备注' }, G2: { t: 's', v: '电话' },
    A3: { t: 's', v: '北京星辰科技有限公司' }, B3: { t: 'n', v: 1234.5, z: '#,##0.00' },
    C3: { t: 'n', v: 45306, z: 'yyyy-mm-dd' }, D3: { t: 'n', v: 45306.4375, z: 'm/d/yy h:mm' },
    E3: { t: 's', v: '说"好", 行' }, F3: { t: 's', v: '无表头' }, G3: { t: 'n', v: 13800138000 },
    // row 4 is empty
    A5: { t: 's', v: ' 上海云帆 ' }, B5: { t: 'n', v: 1000000, z: '#,##0.00' },
    C5: { t: 'n', v: 45307, z: 'm/d/yy' }, E5: { t: 's', v: '第一行\n第二行' },
    '!ref': 'A1:G7', // rows 6-7 are empty leftovers below the data
    '!merges': [{ s: { r: 0, c: 0 }, e: { r: 0, c: 6 } }],
  };
  const other = XLSX.utils.aoa_to_sheet([['编号', '名称'], ['1', '其他']]);
  const wb = XLSX.utils.book_new();
  XLSX.utils.book_append_sheet(wb, ws, '客户');
  XLSX.utils.book_append_sheet(wb, other, '其他');
  return wb;
}

/** Writes through a buffer: the ES module build of SheetJS has no file system access of its own. */
function writeWorkbook(wb: XLSX.WorkBook, path: string, bookType: XLSX.BookType = 'xlsx'): void {
  writeFileSync(path, XLSX.write(wb, { type: 'buffer', bookType }) as Buffer);
}

const CRM_HEADERS = ['客户名称', '金额', '签约日期', '创建时间', '备注', 'column_6', '电话'];
const CRM_ROWS = [
  { 客户名称: '北京星辰科技有限公司', 金额: '1,234.50', 签约日期: '2024-01-15', 创建时间: '2024-01-15 10:30:00',
    备注: '说"好", 行', column_6: '无表头', 电话: '13800138000' },
  // m/d/yy is Excel's locale-dependent short date (a Chinese Excel shows 2024/1/16): written as ISO instead
  { 客户名称: ' 上海云帆 ', 金额: '1,000,000.00', 签约日期: '2024-01-16', 创建时间: null,
    备注: '第一行\n第二行', column_6: null, 电话: null },
];

describe('Excel', () => {
  const books: ['xlsx' | 'xls', XLSX.BookType][] = [['xlsx', 'xlsx'], ['xls', 'biff8']];
  for (const [format, bookType] of books) {
    it(`.${format}: header under the note row, * stripped, values as shown, empty row skipped and counted`, async () => {
      const path = join(root, `crm.${format}`);
      writeWorkbook(crmWorkbook(), path, bookType);
      const file = await prepareFile(path, { workDir });
      try {
        expect(file).toMatchObject({
          format, encoding: null, sheet: '客户', headers: CRM_HEADERS,
          headerRowNumber: 2, firstDataRowNumber: 3, emptyRowsSkipped: 1,
        });
        expect(await scanRows(file)).toEqual(CRM_ROWS);
        expect([file.sourceRowNumber(1), file.sourceRowNumber(2)]).toEqual([3, 5]);
        expect(() => file.sourceRowNumber(3)).toThrow(RangeError);
        expect(workFiles()).toHaveLength(1);
      } finally {
        await file.cleanup();
      }
      expect(workFiles()).toEqual([]);
    });
  }

  it('a named sheet; an unknown sheet names the ones there are', async () => {
    const path = join(root, 'sheets.xlsx');
    writeWorkbook(crmWorkbook(), path);
    const file = await prepareFile(path, { workDir, sheet: '其他' });
    expect(file).toMatchObject({ sheet: '其他', headers: ['编号', '名称'], headerRowNumber: 1, firstDataRowNumber: 2 });
    expect(await scanRows(file)).toEqual([{ 编号: '1', 名称: '其他' }]);
    await file.cleanup();
    await expect(prepareFile(path, { workDir, sheet: '订单' })).rejects.toThrow(/no sheet named "订单".*"客户", "其他"/);
    expect(workFiles()).toEqual([]);
  });

  it('a header-only sheet gives 0 rows; an empty sheet no columns', async () => {
    const wb = XLSX.utils.book_new();
    XLSX.utils.book_append_sheet(wb, XLSX.utils.aoa_to_sheet([['*客户名称', '金额']]), 'a');
    XLSX.utils.book_append_sheet(wb, XLSX.utils.aoa_to_sheet([]), 'b');
    const path = join(root, 'header-only.xlsx');
    writeWorkbook(wb, path);
    const headerOnly = await prepareFile(path, { workDir });
    expect(headerOnly.headers).toEqual(['客户名称', '金额']);
    expect(await scanRows(headerOnly)).toEqual([]);
    const empty = await prepareFile(path, { workDir, sheet: 'b' });
    expect(empty.headers).toEqual([]);
    expect(await scanRows(empty)).toEqual([]);
    await headerOnly.cleanup();
    await empty.cleanup();
  });

  it('findHeaderRow passes over note and title rows, not over a header with gaps', () => {
    expect(findHeaderRow([['很长的说明文字，说明这个模板如何填写以及哪些列必须填写，带星号的是必填'], ['*客户名称', '金额'], ['A', '1']])).toBe(1);
    expect(findHeaderRow([['客户导入'], ['', ''], ['名称', '', '金额', '电话'], ['A', 'x', '1', '2']])).toBe(2);
    expect(findHeaderRow([['这是一段很长的说明文字，说明这个模板如何填写以及哪些列必须填写'], ['客户名称'], ['A']])).toBe(1);
    expect(findHeaderRow([[], ['']])).toBeNull();
  });
});

describe('parquet and JSON', () => {
  it('parquet: every column as text, DuckDB types printed plainly', async () => {
    const path = join(root, 'customers.parquet');
    await warehouse.exec(`copy (select * from (values
        ('C1', '北京星辰科技有限公司', 1234.50::DECIMAL(18,2), DATE '2024-01-15', 3),
        ('C2', NULL, 10::DECIMAL(18,2), DATE '2024-02-01', NULL)) t("客户编号", "*客户名称", "金额", "签约日期", "次数")
      ) to '${path}' (format parquet)`);
    const file = await prepareFile(path, { workDir });
    expect(file).toMatchObject({
      format: 'parquet', encoding: null, headers: ['客户编号', '客户名称', '金额', '签约日期', '次数'],
      headerRowNumber: 0, firstDataRowNumber: 1, csvOptions: null,
    });
    expect(await scanRows(file)).toEqual([
      { 客户编号: 'C1', 客户名称: '北京星辰科技有限公司', 金额: '1234.50', 签约日期: '2024-01-15', 次数: '3' },
      { 客户编号: 'C2', 客户名称: null, 金额: '10.00', 签约日期: '2024-02-01', 次数: null },
    ]);
    await file.cleanup();
    expect(existsSync(path)).toBe(true);
  });

  it('JSON array of objects: values as their JSON text, nested values stay JSON', async () => {
    const records = [
      { 客户名称: '北京星辰科技有限公司', 金额: '￥1,234.50', 次数: 3, 标签: ['重点', 'VIP'] },
      { 客户名称: '上海', 金额: null, 次数: 2.5, 联系人: { 姓名: '张三' } },
    ];
    const file = await prepareFile(fixture('customers.json', JSON.stringify(records, null, 2)), { workDir });
    expect(file.format).toBe('json');
    expect(file.headers).toEqual(['客户名称', '金额', '次数', '标签', '联系人']);
    expect(await scanRows(file)).toEqual([
      { 客户名称: '北京星辰科技有限公司', 金额: '￥1,234.50', 次数: '3', 标签: '["重点","VIP"]', 联系人: null },
      { 客户名称: '上海', 金额: null, 次数: '2.5', 标签: null, 联系人: '{"姓名":"张三"}' },
    ]);
  });

  it('NDJSON: a key first seen on a late line is still a column', async () => {
    const lines = Array.from({ length: 30_000 }, (_, i) => JSON.stringify({ id: `C${i + 1}`, name: `客户${i + 1}` }));
    lines.push(JSON.stringify({ id: 'C30001', name: '最后', '*level': 'A' }));
    const file = await prepareFile(fixture('customers.ndjson', `${lines.join('\n')}\n`), { workDir });
    expect(file.headers).toEqual(['id', 'name', 'level']);
    const rows = await warehouse.rows<TextRow>(`select * from ${file.scanSql} where level is not null`);
    expect(rows).toEqual([{ id: 'C30001', name: '最后', level: 'A' }]);
    const [count] = await warehouse.rows<{ n: number }>(`select count(*)::INTEGER as n from ${file.scanSql}`);
    expect(count).toEqual({ n: 30_001 });
  });

  it('an empty JSON array: 0 rows, no error', async () => {
    const file = await prepareFile(fixture('empty.json', '[]'), { workDir });
    expect(await scanRows(file)).toEqual([]);
  });
});

describe('errors', () => {
  it('an unsupported extension names the file and the supported formats', async () => {
    const path = fixture('contract.docx', 'PK');
    await expect(prepareFile(path, { workDir })).rejects.toThrow(
      `unsupported file type ".docx": ${path}. Supported: .csv, .tsv, .txt, .xlsx, .xls, .parquet, .json, .ndjson, .jsonl`);
  });

  it('a sheet given for a CSV is an error, not silently ignored', async () => {
    const path = fixture('plain.csv', 'a,b\n1,2\n');
    await expect(prepareFile(path, { workDir, sheet: '客户' })).rejects.toThrow(/not an Excel workbook/);
  });

  it('cleanHeaderNames: * and spaces stripped, empty and repeated names made unique', () => {
    expect(cleanHeaderNames([' *客户名称 ', '', '金额', '金额', 'NAME', 'name', 'column_2'])).toEqual(
      ['客户名称', 'column_2_2', '金额', '金额_2', 'NAME', 'name_2', 'column_2']);
  });
});

describe('a UTF-8 export with a few broken bytes stays UTF-8', () => {
  it('is not taken for GB18030 because of one bad byte or a character cut at the end', () => {
    const chinese = Buffer.concat([Buffer.from('客户编号,下单日期,金额\nK1,2024-01-01,5\nK2,2024-01-02,6', 'utf8'), Buffer.from([0xff]), Buffer.from('\n')]);
    expect(detectEncoding(chinese, { wholeFile: true })).toBe('utf8');
    const ascii = Buffer.concat([Buffer.from('customer_id,order_date,amount\nK1,2024-01-01,10\nK2,2024-01-02,2'), Buffer.from([0x80]), Buffer.from('5\n')]);
    expect(detectEncoding(ascii, { wholeFile: true })).toBe('utf8');
    const cut = Buffer.from('客户编号,金额\n北京星辰,5\n上海', 'utf8').subarray(0, -1);
    expect(detectEncoding(cut, { wholeFile: true })).toBe('utf8');
    // real GBK stays GB18030, even when short
    expect(detectEncoding(iconv.encode('客户,1\n', 'gbk'), { wholeFile: true })).toBe('gb18030');
  });
});
