import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import type { Warehouse } from '../db/warehouse.ts';
import { sqlString } from '../db/sql-text.ts';

/** One input file of a load, by content: what makes a second load of the same files a no-op. */
export interface ManifestEntry {
  readonly table: string;
  readonly file: string;
  readonly sha256: string;
  readonly bytes: number;
}

/** SHA-256 of a file's content, streamed (exports can be gigabytes). */
export function hashFile(path: string): Promise<{ sha256: string; bytes: number }> {
  return new Promise((resolve, reject) => {
    const hash = createHash('sha256');
    let bytes = 0;
    createReadStream(path, { highWaterMark: 4 * 1024 * 1024 })
      .on('data', (chunk) => {
        bytes += chunk.length;
        hash.update(chunk);
      })
      .on('error', reject)
      .on('end', () => resolve({ sha256: hash.digest('hex'), bytes }));
  });
}

export const MANIFEST_DDL = `
create table if not exists load_manifest (
  load_id varchar not null,
  table_name varchar not null,
  file varchar not null,
  sha256 varchar not null,
  file_bytes bigint not null,
  loaded_at timestamp not null
);
alter table load_manifest add column if not exists load_mode varchar;`;

/**
 * The load that already brought the warehouse to the state loading these contents would give (file names may
 * differ), so loading them again would change nothing. Replace: the latest load was a replace of exactly these
 * contents. Append: for each of these tables, the latest load that wrote it read the same contents.
 */
export async function sameAsLastLoad(warehouse: Warehouse, entries: readonly ManifestEntry[], mode: 'replace' | 'append' = 'replace'): Promise<string | null> {
  if (entries.length === 0) return null;
  const tables = entries.map((e) => sqlString(e.table)).join(', ');
  const previous = mode === 'replace'
    ? await warehouse.rows<{ load_id: string; table_name: string; sha256: string }>(`
        with latest as (select arg_max(load_id, loaded_at) as load_id from load_manifest)
        select m.load_id, m.table_name, m.sha256 from load_manifest m join latest using (load_id) where m.load_mode = 'replace'`)
    : await warehouse.rows<{ load_id: string; table_name: string; sha256: string }>(`
        with latest as (
          select table_name, arg_max(load_id, loaded_at) as load_id from load_manifest where table_name in (${tables}) group by table_name
        )
        select m.load_id, m.table_name, m.sha256 from load_manifest m join latest using (table_name, load_id)`);
  const key = (table: string, sha: string) => `${table}\u0000${sha}`;
  const before = new Set(previous.map((p) => key(p.table_name, p.sha256)));
  const now = new Set(entries.map((e) => key(e.table, e.sha256)));
  const loadIds = new Set(previous.map((p) => p.load_id));
  if (before.size !== now.size || [...now].some((k) => !before.has(k)) || (mode === 'replace' && loadIds.size !== 1)) return null;
  return [...loadIds].sort().at(-1) ?? null;
}

export function manifestInsertSql(entries: readonly ManifestEntry[], loadId: string, loadedAt: string, mode: 'replace' | 'append' = 'replace'): string {
  return entries
    .map((e) => `insert into load_manifest by name select ${sqlString(loadId)} as load_id, ${sqlString(e.table)} as table_name, ${sqlString(e.file)} as file, ${sqlString(e.sha256)} as sha256, ${e.bytes} as file_bytes, timestamp ${sqlString(loadedAt)} as loaded_at, ${sqlString(mode)} as load_mode;`)
    .join('\n');
}
