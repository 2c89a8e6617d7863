/**
 * A Kysely dialect for DuckDB over @duckdb/node-api (the `kysely-duckdb` package targets the old `duckdb`
 * package, which we do not use).
 *
 * SQL is compiled by Kysely's Postgres compiler: DuckDB accepts `"quoted"` identifiers, `$1` placeholders,
 * `RETURNING`, `ON CONFLICT` and transactional DDL. Rows are read with {@link rowValueConverter}, so BIGINT
 * and DECIMAL come back as numbers, DATE as 'YYYY-MM-DD' and TIMESTAMP as a JS Date (UTC).
 *
 * The caller owns the DuckDB connection: `Kysely#destroy()` does not close it. All access to one
 * DuckDBConnection through this dialect is serialised (one query, stream or transaction at a time, in call
 * order), because a DuckDB connection runs a single transaction and our CLI uses a single connection.
 * Consequence: inside `db.transaction().execute(async (trx) => …)` use `trx`, never `db` — a query on `db`
 * waits for the transaction to end, which waits for the query (the same rule as Kysely's SQLite dialect).
 */
import {
  BIGINT,
  DOUBLE,
  DuckDBArrayValue,
  DuckDBBitValue,
  DuckDBBlobValue,
  DuckDBDateValue,
  DuckDBDecimalValue,
  DuckDBGeometryValue,
  DuckDBIntervalValue,
  DuckDBListValue,
  DuckDBMapValue,
  DuckDBStructValue,
  DuckDBTimeNSValue,
  DuckDBTimeTZValue,
  DuckDBTimeValue,
  DuckDBTimestampMillisecondsValue,
  DuckDBTimestampNanosecondsValue,
  DuckDBTimestampSecondsValue,
  DuckDBTimestampTZValue,
  DuckDBTimestampValue,
  DuckDBUUIDValue,
  DuckDBUnionValue,
  DuckDBVariantValue,
  ResultReturnType,
  StatementType,
  blobValue,
  listValue,
  timestampValue,
  type DuckDBConnection,
  type DuckDBType,
  type DuckDBValue,
} from '@duckdb/node-api';
import {
  CompiledQuery,
  DEFAULT_MIGRATION_LOCK_TABLE,
  DEFAULT_MIGRATION_TABLE,
  PostgresAdapter,
  PostgresQueryCompiler,
  sql,
  type DatabaseConnection,
  type DatabaseIntrospector,
  type DatabaseMetadata,
  type DatabaseMetadataOptions,
  type Dialect,
  type DialectAdapter,
  type Driver,
  type Kysely,
  type QueryCompiler,
  type QueryResult,
  type SchemaMetadata,
  type TableMetadata,
  type TransactionSettings,
} from 'kysely';
import { rowValueConverter, toRows } from './values.ts';

export interface DuckDbDialectConfig {
  /**
   * The connection to run queries on, or a function that returns it (called once, on first use).
   * The dialect never closes it: whoever opened it (e.g. {@link Warehouse}) closes it.
   */
  readonly connection: DuckDBConnection | (() => DuckDBConnection | Promise<DuckDBConnection>);
}

export class DuckDbDialect implements Dialect {
  constructor(private readonly config: DuckDbDialectConfig) {}

  createDriver(): Driver {
    return new DuckDbDriver(this.config);
  }

  createQueryCompiler(): QueryCompiler {
    return new PostgresQueryCompiler();
  }

  createAdapter(): DialectAdapter {
    return new DuckDbAdapter();
  }

  createIntrospector(db: Kysely<any>): DatabaseIntrospector {
    return new DuckDbIntrospector(db);
  }
}

/**
 * Postgres adapter minus the advisory lock (DuckDB has no pg_advisory_lock). DuckDB supports RETURNING and
 * transactional DDL, as Postgres does. Migrations need no lock: the driver already serialises the connection
 * and DuckDB lets only one process open a database file for writing.
 */
export class DuckDbAdapter extends PostgresAdapter {
  override async acquireMigrationLock(): Promise<void> {}
  override async releaseMigrationLock(): Promise<void> {}
}

export class DuckDbDriver implements Driver {
  #connection?: DuckDbConnection;
  #mutex?: ConnectionMutex;
  #initializing?: Promise<void>;
  #destroyed = false;

  constructor(private readonly config: DuckDbDialectConfig) {}

  async init(): Promise<void> {
    this.#initializing ??= (async () => {
      const source = this.config.connection;
      const connection = typeof source === 'function' ? await source() : source;
      this.#mutex = mutexFor(connection);
      this.#connection = new DuckDbConnection(connection);
    })();
    try {
      await this.#initializing;
    } catch (error) {
      this.#initializing = undefined; // let the next query call the factory again
      throw error;
    }
  }

  async acquireConnection(): Promise<DatabaseConnection> {
    if (this.#destroyed) throw new Error('this Kysely instance has been destroyed');
    await this.init();
    await this.#mutex!.lock();
    return this.#connection!;
  }

  async releaseConnection(): Promise<void> {
    this.#mutex?.unlock();
  }

  async beginTransaction(connection: DatabaseConnection, settings: TransactionSettings): Promise<void> {
    if (settings.isolationLevel) {
      throw new Error(`DuckDB cannot set a transaction isolation level (got '${settings.isolationLevel}'): ` +
        'its transactions always use snapshot isolation');
    }
    const readOnly = settings.accessMode === 'read only';
    await connection.executeQuery(CompiledQuery.raw(readOnly ? 'begin transaction read only' : 'begin transaction'));
  }

  async commitTransaction(connection: DatabaseConnection): Promise<void> {
    await connection.executeQuery(CompiledQuery.raw('commit'));
  }

  async rollbackTransaction(connection: DatabaseConnection): Promise<void> {
    try {
      await connection.executeQuery(CompiledQuery.raw('rollback'));
    } catch (error) {
      // A failed COMMIT may already have ended the transaction; then there is nothing to undo, and
      // raising here would hide the error that made Kysely roll back.
      if (error instanceof Error && /no transaction is active/i.test(error.message)) return;
      throw error;
    }
  }

  // No savepoint/rollbackToSavepoint/releaseSavepoint: DuckDB has no SAVEPOINT, and Kysely reports a
  // clear "not supported by this driver" error when they are missing.

  async destroy(): Promise<void> {
    // The connection belongs to the caller; just stop handing it out.
    this.#destroyed = true;
  }
}

class DuckDbConnection implements DatabaseConnection {
  constructor(private readonly connection: DuckDBConnection) {}

  async executeQuery<R>(compiledQuery: CompiledQuery): Promise<QueryResult<R>> {
    const { values, types } = toDuckDbParameters(compiledQuery.parameters);
    // Without parameters use the plain path: it also accepts several statements separated by semicolons.
    const reader = values.length === 0
      ? await this.connection.runAndReadAll(compiledQuery.sql)
      : await this.connection.runAndReadAll(compiledQuery.sql, values, types);

    // INSERT/UPDATE/DELETE without RETURNING: DuckDB answers with one row { Count: n } (BIGINT), which
    // node-api also exposes as rowsChanged. Kysely expects no rows and numAffectedRows, as from Postgres.
    if (reader.returnType === ResultReturnType.CHANGED_ROWS) {
      return { rows: [], numAffectedRows: BigInt(reader.rowsChanged) };
    }
    const rows = toRows(reader) as unknown as R[];
    // With RETURNING, rowsChanged is 0 and the result has one row per affected row.
    if (DML_STATEMENTS.has(reader.statementType)) {
      return { rows, numAffectedRows: BigInt(rows.length) };
    }
    return { rows };
  }

  async *streamQuery<R>(compiledQuery: CompiledQuery, chunkSize = 100): AsyncIterableIterator<QueryResult<R>> {
    if (!Number.isInteger(chunkSize) || chunkSize <= 0) throw new Error('chunkSize must be a positive integer');
    const { values, types } = toDuckDbParameters(compiledQuery.parameters);
    const result = values.length === 0
      ? await this.connection.stream(compiledQuery.sql)
      : await this.connection.stream(compiledQuery.sql, values, types);
    // DuckDB delivers data chunks of up to 2048 rows; re-cut them to chunkSize. Kysely holds the connection
    // (and so our mutex) until the consumer finishes or breaks, so no other query can cut the stream short.
    let buffer: R[] = [];
    for await (const chunkRows of result.yieldConvertedRowObjects(rowValueConverter)) {
      for (const row of chunkRows) {
        buffer.push(row as unknown as R);
        if (buffer.length >= chunkSize) {
          yield { rows: buffer };
          buffer = [];
        }
      }
    }
    if (buffer.length > 0) yield { rows: buffer };
  }
}

const DML_STATEMENTS = new Set<StatementType>([
  StatementType.INSERT,
  StatementType.UPDATE,
  StatementType.DELETE,
  StatementType.MERGE_INTO,
]);

// ---------------------------------------------------------------------------------------------------------
// Parameters

const INT64_MIN = -(2n ** 63n);
const INT64_MAX = 2n ** 63n - 1n;

const DUCKDB_VALUE_CLASSES = [
  DuckDBArrayValue, DuckDBBitValue, DuckDBBlobValue, DuckDBDateValue, DuckDBDecimalValue, DuckDBGeometryValue,
  DuckDBIntervalValue, DuckDBListValue, DuckDBMapValue, DuckDBStructValue, DuckDBTimeNSValue, DuckDBTimeTZValue,
  DuckDBTimeValue, DuckDBTimestampMillisecondsValue, DuckDBTimestampNanosecondsValue, DuckDBTimestampSecondsValue,
  DuckDBTimestampTZValue, DuckDBTimestampValue, DuckDBUUIDValue, DuckDBUnionValue, DuckDBVariantValue,
];

interface BoundParameters {
  readonly values: DuckDBValue[];
  /** Same length as values; undefined entries let node-api infer the type from the value. */
  readonly types: DuckDBType[];
}

/**
 * Turns Kysely's JS parameter values into values node-api can bind. node-api infers each parameter's type
 * from the JS value and knows nothing of Date, Uint8Array, undefined or plain objects ("Cannot create values
 * of type ANY"); it types integral numbers as INTEGER (BIGINT beyond int32), other numbers as DOUBLE and
 * bigints as HUGEINT.
 */
function toDuckDbParameters(parameters: readonly unknown[]): BoundParameters {
  const values: DuckDBValue[] = [];
  const types: (DuckDBType | undefined)[] = [];
  parameters.forEach((parameter, index) => {
    const [value, type] = toDuckDbParameter(parameter, `$${index + 1}`);
    values.push(value);
    types.push(type);
  });
  // node-api's bind() accepts undefined entries at run time (it then infers), but its .d.ts does not say so.
  return { values, types: types as DuckDBType[] };
}

function toDuckDbParameter(value: unknown, where: string): [DuckDBValue, DuckDBType | undefined] {
  switch (typeof value) {
    case 'string':
    case 'boolean':
      return [value, undefined];
    case 'number':
      // An integral double beyond 2^53 is no longer exact, and node-api would try to bind it as BIGINT
      // (failing beyond 2^63): bind it as the DOUBLE it is.
      if (Number.isInteger(value) && !Number.isSafeInteger(value)) return [value, DOUBLE];
      return [value, undefined];
    case 'bigint':
      // node-api binds every bigint as HUGEINT; BIGINT is what our columns are.
      return [value, value >= INT64_MIN && value <= INT64_MAX ? BIGINT : undefined];
    case 'undefined':
      throw new TypeError(`query parameter ${where} is undefined; pass null for SQL NULL`);
    case 'object': {
      if (value === null) return [null, undefined];
      if (value instanceof Date) {
        const millis = value.getTime();
        if (Number.isNaN(millis)) throw new TypeError(`query parameter ${where} is an invalid Date`);
        // TIMESTAMP (without time zone) holding the UTC wall clock: the inverse of how a TIMESTAMP column
        // reads back as a Date, and a DATE column compares with it at UTC midnight.
        return [timestampValue(BigInt(millis) * 1000n), undefined];
      }
      if (value instanceof Uint8Array) return [blobValue(value), undefined];
      if (Array.isArray(value)) {
        if (value.length === 0) {
          throw new TypeError(`query parameter ${where} is an empty array, whose element type DuckDB cannot infer; ` +
            'write the list in SQL instead (e.g. sql`[]::INTEGER[]`)');
        }
        return [listValue(value.map((item, i) => toDuckDbParameter(item, `${where}[${i}]`)[0])), undefined];
      }
      if (DUCKDB_VALUE_CLASSES.some((cls) => value instanceof cls)) return [value as DuckDBValue, undefined];
      const prototype = Object.getPrototypeOf(value) as unknown;
      if (prototype === Object.prototype || prototype === null) {
        // As node-postgres does: plain objects travel as JSON text (DuckDB casts VARCHAR to JSON).
        return [JSON.stringify(value), undefined];
      }
      throw new TypeError(`query parameter ${where} is a ${value.constructor?.name ?? 'object'}, ` +
        'which cannot be bound to DuckDB');
    }
    default:
      throw new TypeError(`query parameter ${where} is a ${typeof value}, which cannot be bound to DuckDB`);
  }
}

// ---------------------------------------------------------------------------------------------------------
// Serialising access to one DuckDBConnection

/** FIFO lock. */
class ConnectionMutex {
  #locked = false;
  readonly #waiters: (() => void)[] = [];

  lock(): Promise<void> {
    if (!this.#locked) {
      this.#locked = true;
      return Promise.resolve();
    }
    return new Promise((resolve) => this.#waiters.push(resolve));
  }

  unlock(): void {
    const next = this.#waiters.shift();
    if (next) next(); // hand the lock straight to the next waiter
    else this.#locked = false;
  }
}

/** One mutex per DuckDBConnection, shared by every Kysely instance built over that connection. */
const mutexes = new WeakMap<DuckDBConnection, ConnectionMutex>();

function mutexFor(connection: DuckDBConnection): ConnectionMutex {
  let mutex = mutexes.get(connection);
  if (!mutex) {
    mutex = new ConnectionMutex();
    mutexes.set(connection, mutex);
  }
  return mutex;
}

// ---------------------------------------------------------------------------------------------------------
// Introspection

interface ColumnRow {
  schema: string;
  table: string;
  table_type: string;
  column: string;
  data_type: string;
  is_nullable: string;
  column_default: string | null;
  column_comment: string | null;
}

/**
 * Kysely's PostgresIntrospector reads pg_catalog tables and functions (pg_attribute, col_description,
 * pg_get_serial_sequence, has_schema_privilege) that DuckDB lacks, so this one reads information_schema
 * of the current database. Data types are DuckDB's names ('INTEGER', 'DECIMAL(18,2)', 'VARCHAR').
 */
export class DuckDbIntrospector implements DatabaseIntrospector {
  readonly #db: Kysely<any>;

  constructor(db: Kysely<any>) {
    this.#db = db;
  }

  async getSchemas(): Promise<SchemaMetadata[]> {
    const { rows } = await sql<{ name: string }>`
      select schema_name as name
      from information_schema.schemata
      where catalog_name = current_database()
      order by schema_name`.execute(this.#db);
    return rows.map((row) => ({ name: row.name }));
  }

  async getTables(options: DatabaseMetadataOptions = { withInternalKyselyTables: false }): Promise<TableMetadata[]> {
    const internal = options.withInternalKyselyTables
      ? sql``
      : sql`and c.table_name not in (${DEFAULT_MIGRATION_TABLE}, ${DEFAULT_MIGRATION_LOCK_TABLE})`;
    const { rows } = await sql<ColumnRow>`
      select c.table_schema as schema, c.table_name as "table", t.table_type, c.column_name as "column",
             c.data_type, c.is_nullable, c.column_default, c.column_comment as column_comment
      from information_schema.columns c
      join information_schema.tables t
        on t.table_catalog = c.table_catalog and t.table_schema = c.table_schema and t.table_name = c.table_name
      where c.table_catalog = current_database()
        and c.table_schema not in ('information_schema', 'pg_catalog')
        ${internal}
      order by c.table_schema, c.table_name, c.ordinal_position`.execute(this.#db);

    const tables = new Map<string, { name: string; schema: string; isView: boolean; columns: TableMetadata['columns'] }>();
    for (const row of rows) {
      const key = JSON.stringify([row.schema, row.table]);
      let table = tables.get(key);
      if (!table) {
        table = { name: row.table, schema: row.schema, isView: row.table_type === 'VIEW', columns: [] };
        tables.set(key, table);
      }
      table.columns.push({
        name: row.column,
        dataType: row.data_type,
        isNullable: row.is_nullable === 'YES',
        hasDefaultValue: row.column_default !== null,
        isAutoIncrementing: row.column_default !== null && /^nextval\(/i.test(row.column_default),
        ...(row.column_comment ? { comment: row.column_comment } : {}),
      });
    }
    return [...tables.values()];
  }

  async getMetadata(options?: DatabaseMetadataOptions): Promise<DatabaseMetadata> {
    return { tables: await this.getTables(options) };
  }
}
