import type { Warehouse } from '../db/warehouse.ts';
import { sqlString } from '../db/sql-text.ts';

/** Where the CDNOW benchmark's calibration ends in the literature (39 weeks after 1997-01-01, weeks as the unit). */
export const CDNOW_CALIBRATION_END = '1997-09-30';

/**
 * Reads a CDNOW file into a table shaped like stg_orders (the columns the calibration summary reads). Two layouts
 * exist, both whitespace-separated with leading blanks: the 1/10 sample (CDNOW_sample.txt: original id, sample id,
 * yyyymmdd, CDs, dollars) and the master file (CDNOW_master.txt: id, yyyymmdd, CDs, dollars, with a header line).
 * The last three fields are the same in both, so they are read from the end; the first field is the customer.
 */
export async function loadCdnowOrders(warehouse: Warehouse, file: string, table: string): Promise<number> {
  await warehouse.exec(`
    create or replace table ${table} as
    with lines as (
        select string_split_regex(trim(line), '\\s+') as fields
        from (select unnest(string_split(replace(content, chr(13), ''), chr(10))) as line from read_text(${sqlString(file)}))
        where trim(line) <> ''
    ),
    parsed as (
        select
            fields[1] as customer_id,
            try_strptime(fields[len(fields) - 2], '%Y%m%d')::date as order_date,
            try_cast(fields[len(fields)] as double) as amount,
            len(fields) as field_count,
        from lines
    )
    select
        hash(customer_id) as customer_key,
        customer_id,
        order_date,
        amount as amount_cny,
        true as is_revenue,
    from parsed
    -- the master file's header line has no date
    where order_date is not null and amount is not null and field_count in (4, 5)`);
  const [row] = await warehouse.rows<{ n: number }>(`select count(*) as n from ${table}`);
  if (!row || row.n === 0) throw new Error(`${file}: no CDNOW lines (customer id, [sample id,] yyyymmdd, quantity, amount) found`);
  return row.n;
}
