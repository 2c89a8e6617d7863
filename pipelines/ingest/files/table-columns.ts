import { Warehouse } from '../../db/warehouse.ts';

/**
 * The column names DuckDB sees in a table function such as read_parquet(…): parquet and JSON carry their own
 * schema, so a throwaway in-memory database reads it rather than a parser of our own.
 */
export async function tableFunctionColumns(tableFunction: string): Promise<string[]> {
  const warehouse = await Warehouse.open(':memory:');
  try {
    const rows = await warehouse.rows<{ column_name: string }>(`describe select * from ${tableFunction}`);
    return rows.map((row) => row.column_name);
  } finally {
    warehouse.close();
  }
}
