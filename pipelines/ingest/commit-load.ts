import { RUN_TABLES_DDL } from '../db/run-tables.ts';
import { dropRelationsStartingWith } from '../db/relations.ts';
import type { Warehouse } from '../db/warehouse.ts';
import type { LoadMode, SourcesConfig } from '../config/sources.ts';
import { quoteIdentifier, sqlString } from '../db/sql-text.ts';
import { canonicalTables, createCanonicalTableAsSql, createCanonicalTableSql } from './canonical.ts';
import { manifestInsertSql, MANIFEST_DDL, type ManifestEntry } from './manifest.ts';

/** Per file of a load: how its rows reconcile (read = loaded + quarantined). */
export interface FileReconciliation {
  readonly file: string;
  /** Source system the file was read as (canonical, wukong, hubspot, salesforce, zoho, order-log). */
  readonly source: string;
  /** Canonical table its rows went to. */
  readonly table: string;
  readonly rows_read: number;
  readonly rows_loaded: number;
  readonly rows_quarantined: number;
}

/** One row of load_files: a file read, with its reconciliation. */
export interface LoadedFileRecord extends FileReconciliation {
  readonly fileBytes: number;
}

/**
 * What a loader staged: persistent `_loading_*` tables, so a load killed midway leaves the raw tables as they were
 * (the next load drops the leftovers). Each fragment holds rows for one canonical table in its exact shape; each
 * quarantine relation has the quarantine table's shape.
 */
export interface StagedLoad {
  readonly fragments: readonly { readonly table: string; readonly relation: string }[];
  readonly quarantines: readonly string[];
  readonly files: readonly LoadedFileRecord[];
  readonly manifest: readonly ManifestEntry[];
}

const LOAD_TABLES_DDL = `
create table if not exists quarantine (
  load_id varchar not null,
  source varchar not null,
  table_name varchar not null,
  file varchar not null,
  row_number bigint,
  column_name varchar,
  raw_value varchar,
  reason varchar not null,
  loaded_at timestamp not null
);
create table if not exists load_files (
  load_id varchar not null,
  source varchar not null,
  table_name varchar not null,
  file varchar not null,
  file_bytes bigint not null,
  rows_read bigint not null,
  rows_loaded bigint not null,
  rows_quarantined bigint not null,
  loaded_at timestamp not null
);`;

/** The quarantine, load_files and load_manifest tables every load writes to, and the (empty) run tables. */
export async function ensureLoadTables(warehouse: Warehouse): Promise<void> {
  await warehouse.exec(LOAD_TABLES_DDL);
  await warehouse.exec(MANIFEST_DDL);
  await warehouse.exec(RUN_TABLES_DDL);
}

/** Prefix of every table a load writes before it swaps the result in. */
export const STAGING_PREFIX = '_loading_';

let fragmentCounter = 0;
/** A fresh name for a staged table of a load. */
export function stagingName(label: string): string {
  fragmentCounter += 1;
  return `${STAGING_PREFIX}${fragmentCounter}_${label.replace(/[^a-z0-9_]/gi, '_')}`;
}

/** Drops every staged table, e.g. left behind by a load that was killed. */
export async function dropStagedTables(warehouse: Warehouse): Promise<void> {
  await dropRelationsStartingWith(warehouse, STAGING_PREFIX);
}

/**
 * Makes the staged load the warehouse's raw data. Every raw table is first assembled under a staging name:
 * `replace` — exactly the staged rows (tables the load has nothing for become empty); `append` — the rows
 * already there, except those whose (source_system, source_id) the load brings again, plus the staged rows.
 * Then one short transaction swaps them in with the quarantine rows, the files' reconciliation and the manifest.
 */
export async function commitLoad(warehouse: Warehouse, sources: Readonly<SourcesConfig>, staged: StagedLoad, mode: LoadMode,
  loadId: string, loadedAt: string): Promise<void> {
  const existing = new Set((await warehouse.rows<{ table_name: string }>(
    "select table_name from information_schema.tables where table_schema = 'main' and table_type = 'BASE TABLE'")).map((r) => r.table_name));
  const assembled: { raw: string; next: string }[] = [];
  for (const table of canonicalTables(sources)) {
    const raw = `raw_${table.name}`;
    const next = `${STAGING_PREFIX}raw_${table.name}`;
    const parts = staged.fragments.filter((f) => f.table === table.name).map((f) => quoteIdentifier(f.relation));
    const keep = mode === 'append' && existing.has(raw);
    if (!keep && parts.length === 0) {
      await warehouse.exec(createCanonicalTableSql(next, table));
    } else if (!keep && parts.length === 1) {
      // the common case, and the large one: no copy
      await warehouse.exec(`alter table ${parts[0]} rename to ${quoteIdentifier(next)}`);
    } else {
      const incoming = parts.map((p) => `select * from ${p}`).join(' union all by name ');
      // rows already there that the load does not bring again (same system and id)
      const kept = keep
        ? `select * from ${quoteIdentifier(raw)} as old where not exists (
             select 1 from (${incoming || 'select null as source_system, null as source_id where false'}) as new
             where new.source_system = old.source_system and new.source_id = old.source_id)`
        : '';
      const rows = [kept, incoming].filter(Boolean).join(' union all by name ');
      await warehouse.exec(createCanonicalTableAsSql(next, table, `select * exclude (source_id) from (${rows})`));
    }
    assembled.push({ raw, next });
  }

  await warehouse.exec('begin transaction');
  try {
    for (const { raw, next } of assembled) {
      await warehouse.exec(`drop table if exists ${quoteIdentifier(raw)}; alter table ${quoteIdentifier(next)} rename to ${quoteIdentifier(raw)};`);
    }
    if (mode === 'replace') await warehouse.exec('delete from quarantine');
    else if (staged.files.length > 0) await warehouse.exec(`delete from quarantine where file in (${staged.files.map((f) => sqlString(f.file)).join(', ')})`);
    for (const relation of staged.quarantines) {
      await warehouse.exec(`insert into quarantine by name select * from ${quoteIdentifier(relation)}`);
    }
    for (const file of staged.files) {
      await warehouse.exec(`insert into load_files values (${sqlString(loadId)}, ${sqlString(file.source)}, ${sqlString(file.table)}, ${sqlString(file.file)},
        ${file.fileBytes}, ${file.rows_read}, ${file.rows_loaded}, ${file.rows_quarantined}, ${sqlString(loadedAt)})`);
    }
    if (staged.manifest.length > 0) await warehouse.exec(manifestInsertSql(staged.manifest, loadId, loadedAt, mode));
    await warehouse.exec('commit');
  } catch (error) {
    await warehouse.exec('rollback');
    throw error;
  }
}
