import { mkdirSync, statSync } from 'node:fs';
import type { Warehouse } from '../db/warehouse.ts';
import type { SourcesConfig, SourceTable } from '../config/sources.ts';
import { rateToBase, type CurrenciesConfig } from '../config/currencies.ts';
import { prepareFile } from './files/index.ts';
import { amountSql, dateSql, describeDateFormat, detectAmountFormat, detectDateFormat, nullIfTokenSql } from './formats/index.ts';
import { quoteIdentifier, sqlString } from '../db/sql-text.ts';
import { missingOrderLogColumns, recogniseOrderLogColumns, type OrderLogColumns } from './order-log-columns.ts';
import { hashFile } from './manifest.ts';
import { collectRejectedLines, dropRejectTables } from './rejects.ts';
import { dropRecordLines, recordLineSql, type RecordSource } from './line-map.ts';
import { InputFileError } from './load-sources.ts';
import { stagingName, type StagedLoad } from './commit-load.ts';
import { canonicalSelectList, canonicalTable, createCanonicalTableSql, recordConstants } from './canonical.ts';

export interface OrderLogOptions {
  readonly workDir: string;
  /** Currency of amounts without a symbol; default: the symbol most seen in the file, else the base currency. */
  readonly currency?: string;
  /** models/sources.yml column_mappings: export headers → canonical columns, per table. */
  readonly columnMappings?: Readonly<Record<string, Readonly<Record<string, string>>>>;
  /** Resolves dates like 03/04/2024 when every value fits both orders. */
  readonly dateOrder?: 'DMY' | 'MDY';
  readonly currencies: Readonly<CurrenciesConfig>;
  readonly currenciesFile: string;
  readonly log?: (line: string) => void;
}

/** Source system name recorded for a plain order log in load_files and the load output. */
export const ORDER_LOG_SOURCE = 'order-log';

/**
 * Loads a plain order / invoice log (CSV in any common encoding, Excel, Parquet, JSON) into the canonical raw
 * tables: lines are grouped into orders by their order id (each line is an order when there is none), customers are
 * the order log's distinct customers, and the other raw tables are left empty. Lines without a customer, or whose
 * date or amount does not parse, are quarantined with their reason; invoices numbered C… (cancellations, as in the
 * UCI Online Retail data) or with a cancel/refund status are kept but are not revenue. Amounts are converted to the
 * base currency with models/currencies.yml.
 */
export async function stageOrderLogFile(warehouse: Warehouse, path: string, sources: Readonly<SourcesConfig>, options: OrderLogOptions,
  loadId: string, loadedAt: string): Promise<StagedLoad> {
  mkdirSync(options.workDir, { recursive: true });
  const file = await prepareFile(path, { workDir: options.workDir });
  try {
    const columns = recogniseOrderLogColumns(file.headers, options.columnMappings);
    const missing = missingOrderLogColumns(columns);
    if (missing.length > 0) {
      throw new InputFileError(path, `not recognised as an order log: it needs ${missing.join(', ')} (found: ${file.headers.join(', ')})`);
    }
    const hashing = hashFile(path);
    try {
      // malformed CSV lines go to the rejects tables (and so to quarantine) instead of stopping the load
      const scan = file.csvOptions ? file.scan({ store_rejects: 'true', rejects_table: "'_ol_rejects'", rejects_scan: "'_ol_reject_scans'" }) : file.scanSql;
      const relations = { orders: stagingName('order_log_orders'), customers: stagingName('order_log_customers'), quarantine: stagingName('order_log_quarantine') };
      const counts = await stageOrderLog(warehouse, scan, file.csvOptions !== null, file, path, columns, loadId, loadedAt, options,
        relations, { orders: canonicalTable(sources, 'orders'), customers: canonicalTable(sources, 'customers') })
        .catch((error: unknown) => {
          // errors of the reader name the UTF-8 copy in the work folder; the user knows their own file
          if (error instanceof InputFileError) throw error;
          throw new InputFileError(path, `could not be loaded: ${(error as Error).message.replaceAll(file.readPath, path)}`);
        });
      options.log?.(`  ${path} (${ORDER_LOG_SOURCE}): ${counts.rows_read.toLocaleString('en-US')} lines read, ${counts.rows_loaded.toLocaleString('en-US')} loaded, ${counts.rows_quarantined.toLocaleString('en-US')} quarantined`);
      return {
        fragments: [{ table: 'orders', relation: relations.orders }, { table: 'customers', relation: relations.customers }],
        quarantines: [relations.quarantine],
        files: [{ file: path, source: ORDER_LOG_SOURCE, table: 'orders', fileBytes: statSync(path).size, ...counts }],
        manifest: [{ table: 'orders', file: path, ...(await hashing) }],
      };
    } finally {
      await hashing.catch(() => undefined);
      await warehouse.exec('drop table if exists _lines; drop table if exists _parsed');
    }
  } finally {
    await file.cleanup();
  }
}

async function sampleValues(warehouse: Warehouse, column: string): Promise<string[]> {
  const rows = await warehouse.rows<{ value: string }>(`select distinct ${quoteIdentifier(column)} as value from _lines where ${quoteIdentifier(column)} is not null limit 200000`);
  return rows.map((r) => r.value);
}

async function stageOrderLog(
  warehouse: Warehouse, scanSql: string, withRejects: boolean, file: RecordSource, path: string, columns: OrderLogColumns,
  loadId: string, loadedAt: string, options: OrderLogOptions,
  relations: { orders: string; customers: string; quarantine: string }, tables: { orders: SourceTable; customers: SourceTable },
): Promise<{ rows_read: number; rows_loaded: number; rows_quarantined: number }> {
  const col = (name: string | undefined) => (name ? quoteIdentifier(name) : 'cast(null as varchar)');
  await warehouse.exec(`create or replace temp table _lines as select * from ${scanSql}`);
  const [first] = await warehouse.rows<{ rowid: string | null }>('select min(rowid)::varchar as rowid from _lines');
  const record = `(_lines.rowid - ${first?.rowid ?? '0'})`;
  const rejectedLines = withRejects ? await collectRejectedLines(warehouse, '_ol_rejects', file.firstDataRowNumber) : 0;
  const [parsed] = await warehouse.rows<{ n: number }>('select count(*) as n from _lines');
  const lineOf = await recordLineSql(warehouse, file, parsed?.n ?? 0, rejectedLines);

  const dateFormat = detectDateFormat(await sampleValues(warehouse, columns.date as string), {
    column: columns.date as string, file: path, ...(options.dateOrder ? { order: options.dateOrder } : {}) });
  const amountColumn = columns.amount ?? columns.unitPrice;
  const amountFormat = detectAmountFormat(await sampleValues(warehouse, amountColumn as string));
  const currency = options.currency ?? amountFormat.currencies[0] ?? options.currencies.base_currency;
  const rate = rateToBase(options.currencies, currency, options.currenciesFile);
  // Each distinct text is parsed once and joined back: the parsing is regular expressions, and a large log repeats
  // its dates, amounts, customers and statuses many times over.
  const lookups: string[] = [];
  const lookupTables: string[] = [];
  const lookup = async (name: string, column: string | undefined, outputs: Record<string, string>,
    skip?: (raw: string) => string): Promise<void> => {
    if (!column) return;
    const raw = col(column);
    // `skip`: values simple enough to be read directly, which the lookup then leaves out
    await warehouse.exec(`create or replace temp table ${name} as
      select raw, ${Object.entries(outputs).map(([output, sql]) => `${sql} as ${output}`).join(', ')}
      from (select distinct ${raw} as raw from _lines where ${raw} is not null ${skip ? `and not (${skip(raw)})` : ''})`);
    lookups.push(`left join ${name} on ${name}.raw = _lines.${raw}`);
    lookupTables.push(name);
  };
  // "1234.5", "-3": cast as they are, without the regular expressions a formatted amount needs (a file whose
  // decimal separator is the comma has no such shortcut: there "1.234" is a thousand)
  const plainNumberSql = (raw: string) => amountFormat.decimalSeparator === '.'
    ? `coalesce(length(${raw}) <= 15 and regexp_full_match(${raw}, '-?[0-9]+([.][0-9]{1,2})?'), false)`
    : 'false';
  const plainAmount = (raw: string, parsed: string) => `case when ${plainNumberSql(raw)} then cast(${raw} as decimal(18, 2)) else ${parsed} end`;
  const numberFormat = { decimalSeparator: amountFormat.decimalSeparator, currencies: [] };
  // ids exported from spreadsheets often arrive as 17850.0 (the regular expression only runs on ids with a dot)
  const customerValue = nullIfTokenSql(`_lines.${col(columns.customer)}`);
  const customerId = `case when contains(${customerValue}, '.') then regexp_replace(${customerValue}, '^(\\d+)\\.0+$', '\\1') else ${customerValue} end`;
  await lookup('_lk_date', columns.date, { order_date: dateSql(nullIfTokenSql('raw'), dateFormat) });
  await lookup('_lk_amount', columns.amount ?? columns.unitPrice, {
    amount: amountSql('raw', amountFormat),
    // the text, when it is more than a plain number (a currency symbol, thousands separators)
    formatted: `case when not regexp_full_match(trim(raw), '-?[0-9]+([.][0-9]+)?') then raw end`,
  }, plainNumberSql);
  await lookup('_lk_quantity', columns.quantity, { quantity: `try_cast(${amountSql('raw', numberFormat)} as double)` }, plainNumberSql);
  await lookup('_lk_status', columns.status, {
    status_raw: nullIfTokenSql('raw'),
    is_cancelled: `coalesce(regexp_matches(lower(raw), 'cancel|void|取消|作废'), false)`,
    is_refunded: `coalesce(regexp_matches(lower(raw), 'refund|return|退款|退货'), false)`,
  });
  const quantity = columns.quantity ? `cast(${plainAmount(`_lines.${col(columns.quantity)}`, '_lk_quantity.quantity')} as double)` : 'cast(null as double)';
  const amountText = `_lines.${col((columns.amount ?? columns.unitPrice) as string)}`;
  const amount = columns.amount ? plainAmount(amountText, '_lk_amount.amount') : `(${quantity} * ${plainAmount(amountText, '_lk_amount.amount')})`;
  const orderId = columns.orderId ? nullIfTokenSql(`_lines.${col(columns.orderId)}`) : 'cast(null as varchar)';
  const cancelledInvoice = columns.orderId
    ? `(starts_with(_lines.${col(columns.orderId)}, 'C') and regexp_matches(_lines.${col(columns.orderId)}, '^C\\d'))`
    : 'false';

  // one pass over the lines; the raw text is kept only for lines that go to quarantine. (The parsed values get
  // their own names first: in one select list a file column named like them, e.g. customer_id, would win.)
  const badRaw = {
    customer: `_lines.${col(columns.customer)}`,
    date: `_lines.${col(columns.date)}`,
    amount: columns.amount ? `_lines.${col(columns.amount)}` : `_lines.${col(columns.quantity)} || ' × ' || _lines.${col(columns.unitPrice)}`,
  };
  await warehouse.exec(`
    create or replace temp table _parsed as
    with parsed as (
      select
        ${record} as _record,
        ${customerId} as _customer_id,
        _lk_date.order_date as _order_date,
        cast(round(${amount} * ${rate}, 2) as decimal(18, 2)) as _amount_cny,
        ${quantity} as _quantity,
        ${orderId} as _order_id,
        ${columns.product ? nullIfTokenSql(`_lines.${col(columns.product)}`) : 'cast(null as varchar)'} as _product,
        ${columns.region ? nullIfTokenSql(`_lines.${col(columns.region)}`) : 'cast(null as varchar)'} as _region,
        case
          when ${cancelledInvoice} or coalesce(_lk_status.is_cancelled, false) then 'cancelled'
          when coalesce(_lk_status.is_refunded, false) then 'refunded'
          else 'completed'
        end as _line_status,
        ${columns.status ? '_lk_status.status_raw' : 'cast(null as varchar)'} as _status_raw,
        ${columns.amount ? '_lk_amount.formatted' : 'cast(null as varchar)'} as _amount_raw,
        ${badRaw.customer} as _customer_text,
        ${badRaw.date} as _date_text,
        ${badRaw.amount} as _amount_text,
      from _lines
      ${lookups.join('\n      ')}
      ${columns.status ? '' : 'cross join (select null::boolean as is_cancelled, null::boolean as is_refunded) as _lk_status'}
    )
    select
      _record,
      _customer_id as customer_id,
      _order_date as order_date,
      _amount_cny as amount_cny,
      _quantity as quantity,
      _order_id as order_id,
      _product as product,
      _region as region,
      _line_status as line_status,
      _status_raw as status_raw,
      _amount_raw as amount_raw,
      coalesce(_order_id, 'line-' || ${lineOf('_record')}) as order_key,
      _customer_id is null or _order_date is null or _amount_cny is null as is_unreadable,
      case when _customer_id is null then ${sqlString(columns.customer ?? '')}
           when _order_date is null then ${sqlString(columns.date ?? '')}
           when _amount_cny is null then ${sqlString(columns.amount ?? columns.unitPrice ?? '')} end as bad_column,
      case when _customer_id is null then _customer_text
           when _order_date is null then _date_text
           when _amount_cny is null then _amount_text end as bad_raw,
    from parsed;
    ${lookupTables.map((table) => `drop table if exists ${table};`).join(' ')}
    drop table _lines;`);

  // Orders first, from every readable line: one grouping. An order whose lines name more than one customer (rare)
  // belongs to the customer of its first line; its other lines are quarantined and the order is summed again
  // without them.
  const orderAggregates = (where: string) => `
    select
      order_key,
      arg_min(customer_id, _record) as customer_id,
      min(customer_id) <> max(customer_id) as has_other_customers,
      min(_record) as first_record,
      min(order_date) as order_date,
      -- an order's category is that of its largest line
      arg_max(product, abs(amount_cny)) as product_category,
      arg_max(region, _record) as region,
      cast(round(sum(quantity)) as bigint) as quantity,
      cast(sum(amount_cny) as decimal(18, 2)) as amount_cny,
      case when bool_or(line_status = 'cancelled') then 'cancelled' when bool_or(line_status = 'refunded') then 'refunded'
           when sum(amount_cny) < 0 then 'refunded' else 'completed' end as status,
      case when min(status_raw) = max(status_raw) then min(status_raw) else min(status_raw) || '; ' || max(status_raw) end as status_raw,
      case when count(*) = 1 then min(amount_raw) end as amount_raw,
      count(*) as lines,
    from _parsed
    where ${where}
    group by order_key`;
  await warehouse.exec(`create or replace temp table _orders as ${orderAggregates('not is_unreadable')}`);
  const [conflicts] = await warehouse.rows<{ n: number }>('select count(*) as n from _orders where has_other_customers');
  const conflicting = (conflicts?.n ?? 0) > 0;
  if (conflicting) {
    await warehouse.exec(`
      create or replace temp table _other_customer_lines as
      select _parsed._record, _parsed.order_key, _parsed.customer_id, _orders.customer_id as order_customer_id, _orders.first_record
      from _parsed join _orders using (order_key)
      where _orders.has_other_customers and not _parsed.is_unreadable and _parsed.customer_id <> _orders.customer_id;
      delete from _orders where has_other_customers;
      insert into _orders ${orderAggregates(`not is_unreadable and order_key in (select order_key from _other_customer_lines)
        and _record not in (select _record from _other_customer_lines)`)};`);
  }

  const quarantine = quoteIdentifier(relations.quarantine);
  // the same on every row of the file: virtual columns of the raw tables, not stored
  const constants = recordConstants(path, loadedAt, ORDER_LOG_SOURCE);
  const orderConstants = { ...constants, discount_cny: '0', currency: sqlString(currency) };
  await warehouse.exec(`
    create or replace table ${quarantine} as
    select ${sqlString(loadId)} as load_id, ${sqlString(ORDER_LOG_SOURCE)} as source, 'orders' as table_name, ${sqlString(path)} as file,
      ${lineOf('_record')} as row_number, bad_column as column_name, bad_raw as raw_value,
      case when bad_column = ${sqlString(columns.customer ?? '')} then 'no customer id: the line cannot be attributed to a customer'
           when bad_column = ${sqlString(columns.date ?? '')} then ${sqlString(`not a date (expected ${describeDateFormat(dateFormat)})`)}
           else 'not a number' end as reason,
      timestamp ${sqlString(loadedAt)} as loaded_at
    from _parsed
    where is_unreadable
    ${conflicting ? `union all
    select ${sqlString(loadId)}, ${sqlString(ORDER_LOG_SOURCE)}, 'orders', ${sqlString(path)}, ${lineOf('_record')},
      ${sqlString(columns.customer ?? '')}, customer_id,
      'order ' || order_key || ' belongs to customer ' || order_customer_id || ' (line ' || ${lineOf('first_record')} || '); this line names another customer',
      timestamp ${sqlString(loadedAt)}
    from _other_customer_lines` : ''}
    ${rejectedLines > 0 ? `union all
    select ${sqlString(loadId)}, ${sqlString(ORDER_LOG_SOURCE)}, 'orders', ${sqlString(path)}, line, column_name, csv_line,
      error_type || ': ' || error_message, timestamp ${sqlString(loadedAt)}
    from _rejected_lines` : ''}
    order by row_number;

    ${createCanonicalTableSql(relations.orders, tables.orders, orderConstants)};
    insert into ${quoteIdentifier(relations.orders)} by name
    select ${canonicalSelectList(tables.orders, {
      order_id: 'order_key', customer_id: 'customer_id', order_date: 'order_date', product_category: 'product_category',
      quantity: 'quantity', amount_cny: 'amount_cny', status: 'status', status_raw: 'status_raw', amount_raw: 'amount_raw',
      _row_number: lineOf('first_record'),
    }, orderConstants)}
    from _orders;

    ${createCanonicalTableSql(relations.customers, tables.customers, constants)};
    insert into ${quoteIdentifier(relations.customers)} by name
    with customers as (
      -- a customer's region is the one on their latest order
      select customer_id, arg_max(region, first_record) as region, min(order_date) as created_date, min(first_record) as first_record,
      from _orders
      group by customer_id
    )
    select ${canonicalSelectList(tables.customers, {
      customer_id: 'customer_id', customer_name: 'customer_id', region: 'region', created_date: 'created_date',
      _row_number: lineOf('first_record'),
    }, constants)}
    from customers;`);

  const [counts] = await warehouse.rows<{ read: number; loaded: number; quarantined: number }>(`
    select (select count(*) from _parsed) + ${rejectedLines} as read,
      (select sum(lines) from _orders) as loaded,
      (select count(*) from ${quarantine}) as quarantined`);
  await warehouse.exec(`drop table if exists _orders; drop table if exists _other_customer_lines;`);
  await dropRecordLines(warehouse);
  const rows = { rows_read: counts?.read ?? 0, rows_loaded: counts?.loaded ?? 0, rows_quarantined: counts?.quarantined ?? 0 };
  if (withRejects) await dropRejectTables(warehouse, '_ol_rejects', '_ol_reject_scans');
  if (rows.rows_read !== rows.rows_loaded + rows.rows_quarantined) {
    throw new InputFileError(path, `row counts do not reconcile: ${rows.rows_read} read ≠ ${rows.rows_loaded} loaded + ${rows.rows_quarantined} quarantined`);
  }
  return rows;
}
