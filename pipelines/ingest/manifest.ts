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
);`;

/**
 * The load that last wrote these tables, when it read exactly the same contents for them (file names may differ):
 * loading it again would change nothing.
 */
export async function sameAsLastLoad(warehouse: Warehouse, entries: readonly ManifestEntry[]): Promise<string | null> {
  if (entries.length === 0) return null;
  const tables = entries.map((e) => sqlString(e.table)).join(', ');
  const previous = await warehouse.rows<{ load_id: string; table_name: string; sha256: string }>(`
    with latest as (
      select table_name, arg_max(load_id, loaded_at) as load_id from load_manifest where table_name in (${tables}) group by table_name
    )
    select m.load_id, m.table_name, m.sha256 from load_manifest m join latest using (table_name, load_id)`);
  const key = (table: string, sha: string) => `${table}\u0000${sha}`;
  const before = new Set(previous.map((p) => key(p.table_name, p.sha256)));
  const now = new Set(entries.map((e) => key(e.table, e.sha256)));
  const loadIds = new Set(previous.map((p) => p.load_id));
  if (before.size !== now.size || [...now].some((k) => !before.has(k)) || loadIds.size !== 1) return null;
  return [...loadIds][0] ?? null;
}

export function manifestInsertSql(entries: readonly ManifestEntry[], loadId: string, loadedAt: string): string {
  return entries
    .map((e) => `insert into load_manifest values (${sqlString(loadId)}, ${sqlString(e.table)}, ${sqlString(e.file)}, ${sqlString(e.sha256)}, ${e.bytes}, ${sqlString(loadedAt)});`)
    .join('\n');
}
