import { Kysely } from 'kysely';
import { DuckDbDialect } from './kysely-dialect.ts';
import type { Warehouse } from './warehouse.ts';

/**
 * A Kysely query builder over the warehouse's connection. `db.destroy()` leaves the connection open:
 * close the warehouse as usual. Queries through this instance are serialised on that connection.
 */
export function createKysely<DB>(warehouse: Warehouse): Kysely<DB> {
  return new Kysely<DB>({ dialect: new DuckDbDialect({ connection: warehouse.connection }) });
}
