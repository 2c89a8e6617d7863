import { withWarehouse } from '../db/warehouse.ts';
import { displayValueConverter, toRows, type Row } from '../db/values.ts';

export interface QueryResult {
  readonly columns: readonly string[];
  readonly rows: readonly Row[];
}

/** Runs SQL against the warehouse opened read-only, so a query can look but never change anything. */
export async function queryWarehouse(warehousePath: string, sql: string): Promise<QueryResult> {
  return withWarehouse(warehousePath, { readOnly: true }, async (warehouse) => {
    const reader = await warehouse.connection.runAndReadAll(sql);
    return { columns: reader.columnNames(), rows: toRows(reader, displayValueConverter) };
  });
}
