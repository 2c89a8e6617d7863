import type { Warehouse } from '../db/warehouse.ts';

/**
 * Lines the CSV reader rejected (wrong number of fields, values of the wrong type, bad encoding), one row per line
 * in `_rejected_lines` (the reader logs one reject per bad column: the first is kept), and the shifts that map a
 * parsed record back to its line in `_line_shifts`. Returns how many lines were rejected.
 */
export async function collectRejectedLines(warehouse: Warehouse, rejectsTable: string, firstDataLine: number): Promise<number> {
  await warehouse.exec(`
    create or replace temp table _rejected_lines as
    select line, min(line_byte_position) as line_byte_position, arg_min(column_name, column_idx) as column_name, arg_min(error_type, column_idx) as error_type,
      arg_min(error_message, column_idx) as error_message, arg_min(csv_line, column_idx) as csv_line
    from ${rejectsTable} group by line;
    create or replace temp table _line_shifts as
    select line - row_number() over (order by line) - ${firstDataLine - 2} as shift, row_number() over (order by line) as skipped
    from _rejected_lines`);
  const [rejected] = await warehouse.rows<{ n: number }>('select count(*) as n from _rejected_lines');
  return rejected?.n ?? 0;
}

/**
 * SQL for the file line of a parsed record (0-based `recordExpression`): the data starts at `firstDataLine`, and
 * lines the reader rejected are skipped over.
 */
export function lineOfRecord(recordExpression: string, firstDataLine: number, rejectedLines: number): string {
  return rejectedLines === 0
    ? `(${recordExpression} + ${firstDataLine})`
    : `(${recordExpression} + ${firstDataLine} + coalesce((select max(skipped) from _line_shifts where shift <= ${recordExpression} + 1), 0))`;
}

export async function dropRejectTables(warehouse: Warehouse, rejectsTable: string, rejectScansTable: string): Promise<void> {
  await warehouse.exec(`drop table if exists _rejected_lines; drop table if exists _line_shifts; drop table if exists ${rejectsTable}; drop table if exists ${rejectScansTable};`);
}
