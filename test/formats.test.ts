import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Warehouse } from '../pipelines/db/warehouse.ts';
import {
  AmbiguousDateFormatError,
  NULL_TOKENS,
  UnrecognisedDateFormatError,
  amountSql,
  currencySql,
  dateSql,
  describeDateFormat,
  detectAmountFormat,
  detectDateFormat,
  isNullToken,
  nullIfTokenSql,
  timestampSql,
  type AmountFormat,
  type DateFormat,
} from '../pipelines/ingest/formats/index.ts';

let warehouse: Warehouse;
beforeAll(async () => {
  warehouse = await Warehouse.open(':memory:');
});
afterAll(() => warehouse.close());

function literal(value: string | null): string {
  return value === null ? 'NULL' : `'${value.replaceAll("'", "''")}'`;
}

/** Runs `sqlOf('v')` over the values in one DuckDB query, as the loader would over a column; results as text. */
async function evaluate(sqlOf: (expr: string) => string, values: readonly (string | null)[]): Promise<(string | null)[]> {
  const rows = values.map((value, i) => `(${i}, ${literal(value)}::VARCHAR)`).join(', ');
  const result = await warehouse.rows<{ r: string | null }>(
    `select CAST(${sqlOf('v')} AS VARCHAR) as r from (values ${rows}) t(i, v) order by i`);
  return result.map((row) => row.r);
}

/** Checks every case of a table in one query and reports all mismatches at once, each with its input. */
async function expectEach(sqlOf: (expr: string) => string, cases: readonly (readonly [string | null, string | null])[]): Promise<void> {
  const actual = await evaluate(sqlOf, cases.map(([value]) => value));
  expect(cases.map(([value], i) => [value, actual[i]])).toEqual(cases.map(([value, expected]) => [value, expected]));
}

describe('null tokens', () => {
  it('lists the usual "no value" texts of CRM and spreadsheet exports', () => {
    for (const token of ['', 'N/A', 'NA', 'n/a', '#N/A', '-', '--', '—', 'null', 'NULL', 'None', '无', '暂无', '空']) {
      expect(NULL_TOKENS).toContain(token);
    }
  });

  const cases: readonly (readonly [string | null, string | null])[] = [
    [null, null], ['', null], ['   ', null], ['\u3000', null], ['N/A', null], [' n/a ', null], ['NA', null],
    ['#N/A', null], ['-', null], ['--', null], ['—', null], ['null', null], ['Null', null], ['NULL', null],
    ['None', null], ['无', null], ['暂无', null], ['空', null], ['\u00a0无\u00a0', null],
    [' ABC ', 'ABC'], ['0', '0'], ['Nathan', 'Nathan'], ['无锡', '无锡'], ['-5', '-5'], ['N/A 2', 'N/A 2'],
  ];

  it('nullIfTokenSql turns every token (after trimming, any case) into NULL and trims the rest', async () => {
    await expectEach(nullIfTokenSql, cases);
  });

  it('isNullToken agrees with the SQL', () => {
    expect(cases.map(([value]) => [value, isNullToken(value)])).toEqual(cases.map(([value, expected]) => [value, expected === null]));
  });
});

describe('detectDateFormat', () => {
  const cases: readonly (readonly [string, readonly string[], DateFormat])[] = [
    ['ISO dates', ['2024-01-05', '2024-12-31'], { kind: 'pattern', order: 'YMD', hasTime: false }],
    ['year-first slashes with and without a time', ['2024/1/5', '2024/1/5 9:03'], { kind: 'pattern', order: 'YMD', hasTime: true }],
    ['ISO timestamps', ['2024-01-05 09:03:00', '2024-01-05T09:03:00Z'], { kind: 'pattern', order: 'YMD', hasTime: true }],
    ['Chinese dates', ['2024年1月5日', '2024年1月6日'], { kind: 'chinese', hasTime: false }],
    ['Chinese dates with a time', ['2024年1月5日 09:03'], { kind: 'chinese', hasTime: true }],
    ['dotted dates are European day-first', ['05.01.2024', '06.01.2024'], { kind: 'pattern', order: 'DMY', separator: '.', hasTime: false }],
    ['a second part over 12 means month first', ['1/5/2024', '12/25/2024'], { kind: 'pattern', order: 'MDY', separator: '/', hasTime: false }],
    ['a first part over 12 means day first', ['5/1/2024', '25/12/2024'], { kind: 'pattern', order: 'DMY', separator: '/', hasTime: false }],
    ['US dates with AM/PM', ['1/5/2024 9:03 AM', '1/13/2024 1:00 PM'], { kind: 'pattern', order: 'MDY', separator: '/', hasTime: true }],
    ['day-first with dashes', ['05-01-2024', '31-01-2024'], { kind: 'pattern', order: 'DMY', separator: '-', hasTime: false }],
    ['Excel serial days', ['45296', '45297'], { kind: 'excel-serial', hasTime: false }],
    ['Excel serials with a time', ['45296', '45296.5'], { kind: 'excel-serial', hasTime: true }],
    ['compact dates', ['20240105', '20241231'], { kind: 'compact' }],
    ['null tokens are skipped', ['N/A', '', '无', '1/5/2024', '1/13/2024'], { kind: 'pattern', order: 'MDY', separator: '/', hasTime: false }],
    ['a mixed column takes the format most values parse', ['2024-01-05', '2024-01-06', '05/01/2024', 'tomorrow'], { kind: 'pattern', order: 'YMD', hasTime: false }],
    ['impossible dates do not count for a format', ['2024-13-45', '2024-02-30', '45296'], { kind: 'excel-serial', hasTime: false }],
    ['a column with no values gets year-first', ['', 'N/A'], { kind: 'pattern', order: 'YMD', hasTime: false }],
  ];
  it.each(cases)('%s', (_name, values, expected) => {
    expect(detectDateFormat(values)).toEqual(expected);
  });

  it('skips SQL NULLs and counts every occurrence of a repeated value', () => {
    const column = [null, '2024-01-05', '2024-01-05', '2024-01-05', '5/1/2024', '25/1/2024'];
    expect(detectDateFormat(column)).toEqual({ kind: 'pattern', order: 'YMD', hasTime: false });
    expect(detectDateFormat([...column, '6/1/2024', '6/1/2024'])).toEqual({ kind: 'pattern', order: 'DMY', separator: '/', hasTime: false });
  });

  it('describes each format as a person would write it, for quarantine reasons', () => {
    expect([
      describeDateFormat({ kind: 'pattern', order: 'YMD', hasTime: false }),
      describeDateFormat({ kind: 'pattern', order: 'DMY', separator: '.', hasTime: false }),
      describeDateFormat({ kind: 'pattern', order: 'MDY', separator: '/', hasTime: true }),
      describeDateFormat({ kind: 'chinese', hasTime: false }),
      describeDateFormat({ kind: 'compact' }),
    ]).toEqual(['YYYY-MM-DD', 'DD.MM.YYYY', 'MM/DD/YYYY', 'YYYY年M月D日', 'YYYYMMDD']);
  });

  it('refuses to guess when every date reads both day-first and month-first, naming file, column and --date-format', () => {
    const values = ['1/5/2024', '02/03/2024', '12/12/2024'];
    const origin = { file: 'exports/orders.csv', column: 'order_date' };
    const error = catchError(() => detectDateFormat(values, origin));
    expect(error).toBeInstanceOf(AmbiguousDateFormatError);
    const ambiguous = error as AmbiguousDateFormatError;
    expect(ambiguous).toMatchObject({ file: 'exports/orders.csv', column: 'order_date', reason: 'fits-both' });
    expect(ambiguous.examples).toEqual(['1/5/2024', '02/03/2024', '12/12/2024']);
    expect(ambiguous.message).toContain('exports/orders.csv');
    expect(ambiguous.message).toContain('order_date');
    expect(ambiguous.message).toContain('--date-format DMY');
    expect(ambiguous.message).toContain('--date-format MDY');
  });

  it('refuses to guess when some dates fit only day-first and others only month-first', () => {
    const error = catchError(() => detectDateFormat(['25/1/2024', '1/25/2024', '3/4/2024'], { file: 'a.csv', column: 'd' }));
    expect(error).toBeInstanceOf(AmbiguousDateFormatError);
    expect(error).toMatchObject({ reason: 'conflicting', examples: ['25/1/2024', '1/25/2024'] });
  });

  it('takes the order from the user when the data cannot settle it', () => {
    expect(detectDateFormat(['1/5/2024', '2/3/2024'], { order: 'DMY' })).toEqual({ kind: 'pattern', order: 'DMY', separator: '/', hasTime: false });
    expect(detectDateFormat(['1/5/2024', '2/3/2024'], { order: 'MDY' })).toEqual({ kind: 'pattern', order: 'MDY', separator: '/', hasTime: false });
    expect(detectDateFormat(['25/1/2024', '1/25/2024'], { order: 'MDY' })).toEqual({ kind: 'pattern', order: 'MDY', separator: '/', hasTime: false });
  });

  it('says so, with examples, when no value is a date in any recognised format', () => {
    const error = catchError(() => detectDateFormat(['tomorrow', 'soon', 'N/A'], { file: 'a.csv', column: 'signed_on' }));
    expect(error).toBeInstanceOf(UnrecognisedDateFormatError);
    expect(error).toMatchObject({ file: 'a.csv', column: 'signed_on', examples: ['tomorrow', 'soon'] });
    expect((error as Error).message).toMatch(/a\.csv.*signed_on/);
  });
});

function catchError(run: () => unknown): unknown {
  try {
    run();
  } catch (error) {
    return error;
  }
  throw new Error('expected an error');
}

describe('dateSql and timestampSql', () => {
  const ymd: DateFormat = { kind: 'pattern', order: 'YMD', hasTime: true };
  const dmyDots: DateFormat = { kind: 'pattern', order: 'DMY', separator: '.', hasTime: true };
  const dmySlashes: DateFormat = { kind: 'pattern', order: 'DMY', separator: '/', hasTime: true };
  const mdySlashes: DateFormat = { kind: 'pattern', order: 'MDY', separator: '/', hasTime: true };
  const chinese: DateFormat = { kind: 'chinese', hasTime: true };
  const compact: DateFormat = { kind: 'compact' };
  const excel: DateFormat = { kind: 'excel-serial', hasTime: true };

  /** [format, value, timestamp]: the DATE expected is the timestamp's day. */
  const parsed: readonly (readonly [DateFormat, string, string])[] = [
    [ymd, '2024-01-05', '2024-01-05 00:00:00'],
    [ymd, '2024/1/5', '2024-01-05 00:00:00'],
    [ymd, '2024/1/5 9:03', '2024-01-05 09:03:00'],
    [ymd, '2024-01-05 09:03:00', '2024-01-05 09:03:00'],
    [ymd, '2024-01-05T09:03:00Z', '2024-01-05 09:03:00'],
    [ymd, '2024-01-05T09:03:00.250+08:00', '2024-01-05 09:03:00.25'],
    [ymd, '2024.01.05', '2024-01-05 00:00:00'],
    [ymd, ' 2024-01-05\u00a0', '2024-01-05 00:00:00'],
    [ymd, '2024/1/5 9:03 PM', '2024-01-05 21:03:00'],
    [chinese, '2024年1月5日', '2024-01-05 00:00:00'],
    [chinese, '2024年01月05日 09:03', '2024-01-05 09:03:00'],
    [chinese, '2024年1月5号', '2024-01-05 00:00:00'],
    [dmyDots, '05.01.2024', '2024-01-05 00:00:00'],
    [dmyDots, '5.1.2024 09:03', '2024-01-05 09:03:00'],
    [dmySlashes, '5/1/2024', '2024-01-05 00:00:00'],
    [dmySlashes, '05/01/2024 17:30', '2024-01-05 17:30:00'],
    [mdySlashes, '1/5/2024', '2024-01-05 00:00:00'],
    [mdySlashes, '1/5/2024 9:03 AM', '2024-01-05 09:03:00'],
    [mdySlashes, '1/5/2024 9:03 pm', '2024-01-05 21:03:00'],
    [mdySlashes, '1/5/2024 12:15 AM', '2024-01-05 00:15:00'],
    [mdySlashes, '01/05/2024 12:15:30 PM', '2024-01-05 12:15:30'],
    [compact, '20240105', '2024-01-05 00:00:00'],
    [excel, '45296', '2024-01-05 00:00:00'],
    [excel, '45296.5', '2024-01-05 12:00:00'],
    [excel, '45296.37708333333', '2024-01-05 09:03:00'],
    [excel, '61', '1900-03-01 00:00:00'],
  ];
  it.each(parsed)('%j reads %s as %s', async (format, value, timestamp) => {
    expect(await evaluate((v) => timestampSql(v, format), [value])).toEqual([timestamp]);
    expect(await evaluate((v) => dateSql(v, format), [value])).toEqual([timestamp.slice(0, 10)]);
  });

  const garbage: readonly (string | null)[] = [
    null, '', '   ', 'N/A', 'tomorrow', '2024-13-45', '2024-02-30', '2023年2月29日', '2024-01-05 25:00', '2024-01-05 24:00',
    '2024-01-05 09:60', '1/5/2024 13:03 PM', '1/5/2024 0:03 AM', '45/45/2024', '60', '0', '45296abc', '-45296',
    '2024-01-05x', '24-1-5', '99999999', '2024-01', '1/25/2024 is late',
  ];
  const formats: readonly DateFormat[] = [ymd, dmyDots, dmySlashes, mdySlashes, chinese, compact, excel];
  it.each(formats)('%j turns values that do not parse into NULL, never an error', async (format) => {
    expect(await evaluate((v) => dateSql(v, format), garbage)).toEqual(garbage.map(() => null));
    expect(await evaluate((v) => timestampSql(v, format), garbage)).toEqual(garbage.map(() => null));
  });

  it('parses only its own shape: other formats, orders and separators are NULL rather than misread', async () => {
    await expectEach((v) => dateSql(v, dmySlashes), [['1/25/2024', null], ['05.01.2024', null], ['2024-01-05', null], ['25/1/2024', '2024-01-25']]);
    await expectEach((v) => dateSql(v, mdySlashes), [['25/1/2024', null], ['1/25/2024', '2024-01-25'], ['45296', null]]);
    await expectEach((v) => dateSql(v, ymd), [['5/1/2024', null], ['2024年1月5日', null], ['20240105', null]]);
  });

  it('parses a detected column in bulk, NULL exactly where detection saw no date', async () => {
    const values = ['2024/1/5', '2024/1/6 9:03', 'N/A', 'soon', '2024/2/30', '2024-03-01'];
    const format = detectDateFormat(values);
    expect(await evaluate((v) => dateSql(v, format), values)).toEqual(['2024-01-05', '2024-01-06', null, null, null, '2024-03-01']);
  });
});

describe('detectAmountFormat', () => {
  const cases: readonly (readonly [string, readonly (string | null)[], AmountFormat])[] = [
    ['yuan and dollars with thousands commas', ['￥1,234.50', '¥1,234', '$12,400.00', '5元'], { decimalSeparator: '.', currencies: ['CNY', 'USD'] }],
    ['euro amounts with decimal commas', ['1.234,50 €', '1 234,50', '12,00 EUR'], { decimalSeparator: ',', currencies: ['EUR'] }],
    ['a lone decimal comma', ['1,5'], { decimalSeparator: ',', currencies: [] }],
    ['a lone thousands comma', ['1,234'], { decimalSeparator: '.', currencies: [] }],
    ['three-digit groups follow the rest of the column', ['1,234', '1.234,50'], { decimalSeparator: ',', currencies: [] }],
    ['dots with three decimals over several groups are thousands', ['1.234.567'], { decimalSeparator: ',', currencies: [] }],
    ['the convention most values show wins', ['12,400.00', '3.75', '1,5'], { decimalSeparator: '.', currencies: [] }],
    ['plain integers and null tokens', ['5', '-12', 'N/A', ''], { decimalSeparator: '.', currencies: [] }],
    ['currencies most frequent first', ['$1', '€2', '€3', null], { decimalSeparator: '.', currencies: ['EUR', 'USD'] }],
    ['no values', [], { decimalSeparator: '.', currencies: [] }],
  ];
  it.each(cases)('%s', (_name, values, expected) => {
    expect(detectAmountFormat(values)).toEqual(expected);
  });
});

describe('amountSql', () => {
  const dot: AmountFormat = { decimalSeparator: '.', currencies: [] };
  const comma: AmountFormat = { decimalSeparator: ',', currencies: [] };

  it('reads dot-decimal amounts with currency, thousands separators and accounting negatives', async () => {
    await expectEach((v) => amountSql(v, dot), [
      ['￥1,234.50', '1234.50'], ['¥1,234', '1234.00'], ['$12,400.00', '12400.00'], ['-5', '-5.00'],
      ['(1,234.00)', '-1234.00'], ['(￥1,234.00)', '-1234.00'], ['($ 1,234.00)', '-1234.00'], ['（1,234.00）', '-1234.00'],
      ['RMB 1,000', '1000.00'], ['rmb1000', '1000.00'], ['1000元', '1000.00'], ['1,234.50 美元', '1234.50'], ['CNY 7', '7.00'],
      ['-¥ 5', '-5.00'], ['$-5', '-5.00'], ['+7.5', '7.50'], ['−3', '-3.00'], ['.5', '0.50'], ['0', '0.00'],
      ['1 234.50', '1234.50'], ['1\u00a0234\u00a0567.8', '1234567.80'], ["1'234.5", '1234.50'], ['1,234,567.891', '1234567.89'],
      ['USD 99.999', '100.00'], [' 42 ', '42.00'], ['£3', '3.00'], ['HK$10', '10.00'], ['€5', '5.00'],
    ]);
  });

  it('turns what is not a number into NULL, never an error or a wrong number', async () => {
    await expectEach((v) => amountSql(v, dot), [
      [null, null], ['', null], ['N/A', null], ['abc', null], ['$', null], ['1,5', null], ['12,34.5', null],
      ['1,23,456', null], ['1e3', null], ['1_000', null], ['(5', null], ['--5', null], ['-(5)', null], ['5-', null],
      ['1.2.3', null], ['12USD34', null], ['99999999999999999999', null], ['1 2', null], ['NaN', null], ['Infinity', null],
    ]);
  });

  it('reads comma-decimal amounts', async () => {
    await expectEach((v) => amountSql(v, comma), [
      ['1.234,50 €', '1234.50'], ['1 234,50', '1234.50'], ['1\u202f234,50', '1234.50'], ['1,5', '1.50'], ['(1.234,00)', '-1234.00'],
      ['EUR -12,5', '-12.50'], ['1.234', '1234.00'], ['1.234.567', '1234567.00'], ['12,400.00', null], ['1.5', null], ['abc', null],
    ]);
  });

  it('parses a detected column in bulk', async () => {
    const values = ['1.234,50 €', '99,90 €', '—', 'gratis', '1 000,00 €'];
    const format = detectAmountFormat(values);
    expect(await evaluate((v) => amountSql(v, format), values)).toEqual(['1234.50', '99.90', null, null, '1000.00']);
  });
});

describe('currencySql', () => {
  it('names each value\'s currency by its ISO code, or the default when none is written', async () => {
    await expectEach((v) => currencySql(v, 'CNY'), [
      ['￥5', 'CNY'], ['¥5', 'CNY'], ['5元', 'CNY'], ['RMB 5', 'CNY'], ['cny 5', 'CNY'], ['人民币5', 'CNY'],
      ['$5', 'USD'], ['USD 5', 'USD'], ['5美元', 'USD'], ['US$5', 'USD'],
      ['€5', 'EUR'], ['1.234,50 EUR', 'EUR'], ['5欧元', 'EUR'], ['£5', 'GBP'], ['HK$5', 'HKD'], ['5港元', 'HKD'],
      ['5', 'CNY'], ['(1,234.00)', 'CNY'], ['N/A', null], [null, null],
    ]);
    await expectEach((v) => currencySql(v, 'USD'), [['5', 'USD'], ['￥5', 'CNY']]);
  });
});
