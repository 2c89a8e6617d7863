import type { Warehouse } from './warehouse.ts';
import { quoteIdentifier } from './sql-text.ts';

export type RelationKind = 'table' | 'view';

/** The warehouse's tables and views in the main schema, by name. */
export async function listRelations(warehouse: Warehouse): Promise<Map<string, RelationKind>> {
  const rows = await warehouse.rows<{ table_name: string; table_type: string }>(
    `select table_name, table_type from information_schema.tables where table_schema = 'main'`);
  return new Map(rows.map((r) => [r.table_name, r.table_type === 'VIEW' ? 'view' : 'table']));
}

/** `drop table|view "name";` for a relation of that kind. */
export function dropRelationSql(name: string, kind: RelationKind): string {
  return `drop ${kind} if exists ${quoteIdentifier(name)};`;
}

/**
 * Drops every relation whose name starts with `prefix` (what a load or build left under its working names, e.g.
 * after being killed). Views go first, so none is left pointing at a dropped table.
 */
export async function dropRelationsStartingWith(warehouse: Warehouse, prefix: string): Promise<void> {
  const leftovers = [...(await listRelations(warehouse))].filter(([name]) => name.startsWith(prefix));
  for (const [name, kind] of [...leftovers.filter(([, k]) => k === 'view'), ...leftovers.filter(([, k]) => k === 'table')]) {
    await warehouse.exec(dropRelationSql(name, kind));
  }
}
