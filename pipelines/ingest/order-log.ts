import { mkdirSync, statSync } from 'node:fs';
import type { Warehouse } from '../db/warehouse.ts';
import type { SourcesConfig, SourceTable } from '../config/sources.ts';
import { rateToBase, type CurrenciesConfig } from '../config/currencies.ts';
import { prepareFile } from './files/index.ts';
import { amountSql, dateSql, describeDateFormat, detectAmountFormat, detectDateFormat, nullIfTokenSql } from './formats/index.ts';
import { quoteIdentifier, sqlString } from '../db/sql-text.ts';
import { missingOrderLogColumns, recogniseOrderLogColumns, type OrderLogColumns } from './order-log-columns.ts';
import { hashFile } from './manifest.ts';
import { collectRejectedLines, dropRejectTables, lineOfRecord } from './rejects.ts';
import { InputFileError } from './load-sources.ts';
import { stagingName, type StagedLoad } from './commit-load.ts';
import { canonicalSelectList, canonicalTable, createCanonicalTableSql, recordColumns } from './canonical.ts';

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

/** Whether a file's header makes it a plain order log (customer, date, amount or quantity × price). */
export function isOrderLog(headers: readonly string[], mappings?: Readonly<Record<string, Readonly<Record<string, string>>>>): boolean {
  return missingOrderLogColumns(recogniseOrderLogColumns(headers, mappings)).length === 0;
}

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
      const counts = await stageOrderLog(warehouse, scan, file.csvOptions !== null, file.firstDataRowNumber, path, columns, loadId, loadedAt, options,
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
  warehouse: Warehouse, scanSql: string, withRejects: boolean, firstDataRow: number, path: string, columns: OrderLogColumns,
  loadId: string, loadedAt: string, options: OrderLogOptions,
  relations: { orders: string; customers: string; quarantine: string }, tables: { orders: SourceTable; customers: SourceTable },
): Promise<{ rows_read: number; rows_loaded: number; rows_quarantined: number }> {
  const col = (name: string | undefined) => (name ? quoteIdentifier(name) : 'cast(null as varchar)');
  await warehouse.exec(`create or replace temp table _lines as select * from ${scanSql}`);
  const [first] = await warehouse.rows<{ rowid: string | null }>('select min(rowid)::varchar as rowid from _lines');
  const record = `(_lines.rowid - ${first?.rowid ?? '0'})`;
  const rejectedLines = withRejects ? await collectRejectedLines(warehouse, '_ol_rejects', firstDataRow) : 0;

  const dateFormat = detectDateFormat(await sampleValues(warehouse, columns.date as string), {
    column: columns.date as string, file: path, ...(options.dateOrder ? { order: options.dateOrder } : {}) });
  const amountColumn = columns.amount ?? columns.unitPrice;
  const amountFormat = detectAmountFormat(await sampleValues(warehouse, amountColumn as string));
  const currency = options.currency ?? amountFormat.currencies[0] ?? options.currencies.base_currency;
  const rate = rateToBase(options.currencies, currency, options.currenciesFile);
  const quantity = columns.quantity ? `try_cast(${amountSql(col(columns.quantity), { decimalSeparator: amountFormat.decimalSeparator, currencies: [] })} as double)` : 'cast(null as double)';
  const amount = columns.amount
    ? `${amountSql(col(columns.amount), amountFormat)}`
    : `(${quantity} * ${amountSql(col(columns.unitPrice), amountFormat)})`;
  const cancelledStatus = `coalesce(regexp_matches(lower(${col(columns.status)}), 'cancel|void|取消|作废'), false)`;
  const refundedStatus = `coalesce(regexp_matches(lower(${col(columns.status)}), 'refund|return|退款|退货'), false)`;

  await warehouse.exec(`
    create or replace temp table _parsed as
    select
      ${record} as _record,
      -- ids exported from spreadsheets often arrive as 17850.0
      regexp_replace(${nullIfTokenSql(col(columns.customer))}, '^(\\d+)\\.0+$', '\\1') as customer_id,
      ${col(columns.customer)} as customer_raw,
      ${dateSql(nullIfTokenSql(col(columns.date)), dateFormat)} as order_date,
      ${col(columns.date)} as date_raw,
      cast(round(${amount} * ${rate}, 2) as decimal(18, 2)) as amount_cny,
      ${columns.amount ? col(columns.amount) : `${col(columns.quantity)} || ' × ' || ${col(columns.unitPrice)}`} as amount_raw,
      ${quantity} as quantity,
      ${columns.orderId ? nullIfTokenSql(col(columns.orderId)) : 'cast(null as varchar)'} as order_id,
      ${columns.product ? nullIfTokenSql(col(columns.product)) : 'cast(null as varchar)'} as product,
      ${columns.region ? nullIfTokenSql(col(columns.region)) : 'cast(null as varchar)'} as region,
      case
        when ${columns.orderId ? `regexp_matches(${col(columns.orderId)}, '^C\\d')` : 'false'} or ${cancelledStatus} then 'cancelled'
        when ${refundedStatus} then 'refunded'
        else 'completed'
      end as line_status,
      ${columns.status ? nullIfTokenSql(col(columns.status)) : 'cast(null as varchar)'} as status_raw,
    from _lines`);

  const quarantine = quoteIdentifier(relations.quarantine);
  const lineOf = (expression: string) => lineOfRecord(expression, firstDataRow, rejectedLines);
  // An order belongs to the customer of its first readable line; a later line naming another customer is
  // quarantined rather than moving its revenue to the first one.
  await warehouse.exec(`
    create or replace temp table _keyed as
    select *,
      coalesce(order_id, 'line-' || ${lineOf('_record')}) as order_key,
      customer_id is null or order_date is null or amount_cny is null as is_unreadable,
    from _parsed;
    create or replace temp table _parsed as
    select *,
      arg_min(customer_id, _record) filter (where not is_unreadable) over (partition by order_key) as order_customer_id,
      min(_record) filter (where not is_unreadable) over (partition by order_key) as order_first_record,
    from _keyed;
    drop table _keyed;`);
  const usable = 'not is_unreadable and customer_id = order_customer_id';
  await warehouse.exec(`
    create or replace table ${quarantine} as
    select ${sqlString(loadId)} as load_id, ${sqlString(ORDER_LOG_SOURCE)} as source, 'orders' as table_name, ${sqlString(path)} as file,
      ${lineOf('_record')} as row_number,
      case when customer_id is null then ${sqlString(columns.customer ?? '')}
           when order_date is null then ${sqlString(columns.date ?? '')}
           when amount_cny is null then ${sqlString(columns.amount ?? columns.unitPrice ?? '')}
           else ${sqlString(columns.customer ?? '')} end as column_name,
      case when customer_id is null then customer_raw when order_date is null then date_raw
           when amount_cny is null then amount_raw else customer_raw end as raw_value,
      case when customer_id is null then 'no customer id: the line cannot be attributed to a customer'
           when order_date is null then ${sqlString(`not a date (expected ${describeDateFormat(dateFormat)})`)}
           when amount_cny is null then 'not a number'
           else 'order ' || order_key || ' belongs to customer ' || order_customer_id || ' (line ' || ${lineOf('order_first_record')} || '); this line names another customer' end as reason,
      timestamp ${sqlString(loadedAt)} as loaded_at
    from _parsed
    where not (${usable})
    ${rejectedLines > 0 ? `union all
    select ${sqlString(loadId)}, ${sqlString(ORDER_LOG_SOURCE)}, 'orders', ${sqlString(path)}, line, column_name, csv_line,
      error_type || ': ' || error_message, timestamp ${sqlString(loadedAt)}
    from _rejected_lines` : ''}
    order by row_number;

    ${createCanonicalTableSql(relations.orders, tables.orders)};
    insert into ${quoteIdentifier(relations.orders)} by name
    with orders as (
      select
        order_key,
        min(customer_id) as customer_id,
        min(order_date) as order_date,
        mode(product) as product_category,
        cast(round(sum(quantity)) as bigint) as quantity,
        cast(sum(amount_cny) as decimal(18, 2)) as amount_cny,
        case when bool_or(line_status = 'cancelled') then 'cancelled' when bool_or(line_status = 'refunded') then 'refunded'
             when sum(amount_cny) < 0 then 'refunded' else 'completed' end as status,
        string_agg(distinct status_raw, '; ') as status_raw,
        case when count(*) = 1 then min(amount_raw) end as amount_raw,
        min(${lineOf('_record')}) as first_line,
      from _parsed
      where ${usable}
      group by order_key
    )
    select ${canonicalSelectList(tables.orders, {
      order_id: 'order_key', customer_id: 'customer_id', order_date: 'order_date', product_category: 'product_category',
      quantity: 'quantity', amount_cny: 'amount_cny', discount_cny: '0', status: 'status', status_raw: 'status_raw',
      amount_raw: 'amount_raw', currency: sqlString(currency),
      ...recordColumns(path, loadedAt, 'first_line'),
    })}
    from orders
    order by first_line;

    ${createCanonicalTableSql(relations.customers, tables.customers)};
    insert into ${quoteIdentifier(relations.customers)} by name
    with customers as (
      select customer_id, mode(region) as region, min(order_date) as created_date, min(${lineOf('_record')}) as first_line,
      from _parsed
      where ${usable}
      group by customer_id
    )
    select ${canonicalSelectList(tables.customers, {
      customer_id: 'customer_id', customer_name: 'customer_id', region: 'region', created_date: 'created_date',
      ...recordColumns(path, loadedAt, 'first_line'),
    })}
    from customers
    order by first_line;`);

  const [counts] = await warehouse.rows<{ read: number; loaded: number; quarantined: number }>(`
    select (select count(*) from _lines) + ${rejectedLines} as read,
      (select count(*) from _parsed where ${usable}) as loaded,
      (select count(*) from ${quarantine}) as quarantined`);
  const rows = { rows_read: counts?.read ?? 0, rows_loaded: counts?.loaded ?? 0, rows_quarantined: counts?.quarantined ?? 0 };
  if (withRejects) await dropRejectTables(warehouse, '_ol_rejects', '_ol_reject_scans');
  if (rows.rows_read !== rows.rows_loaded + rows.rows_quarantined) {
    throw new InputFileError(path, `row counts do not reconcile: ${rows.rows_read} read ≠ ${rows.rows_loaded} loaded + ${rows.rows_quarantined} quarantined`);
  }
  return rows;
}
