import { mkdirSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { BOOLEAN, DOUBLE, DuckDBConnection, DuckDBInstance, INTEGER, VARCHAR, type DuckDBType, type DuckDBValue } from '@duckdb/node-api';
import { displayValueConverter, toRows, type Row } from './values.ts';

/** A value bound by name, with its type (`$name` in the SQL). */
export interface BoundValue {
  readonly type: 'double' | 'integer' | 'varchar' | 'boolean';
  readonly value: string | number | boolean | null;
}

export type BoundValues = Readonly<Record<string, BoundValue>>;

const BOUND_TYPES: Readonly<Record<BoundValue['type'], DuckDBType>> = { double: DOUBLE, integer: INTEGER, varchar: VARCHAR, boolean: BOOLEAN };

interface StatementArguments {
  readonly values?: DuckDBValue[] | Record<string, DuckDBValue>;
  readonly types?: Record<string, DuckDBType>;
}

/** node-api's arguments after the SQL: none, positional values, or named values with their types. */
function statementArguments(params?: readonly DuckDBValue[] | BoundValues): StatementArguments {
  if (params === undefined) return {};
  if (isPositional(params)) return params.length > 0 ? { values: [...params] } : {};
  const names = Object.keys(params);
  if (names.length === 0) return {};
  return {
    values: Object.fromEntries(names.map((name) => [name, params[name]!.value])),
    types: Object.fromEntries(names.map((name) => [name, BOUND_TYPES[params[name]!.type]])),
  };
}

function isPositional(params: readonly DuckDBValue[] | BoundValues): params is readonly DuckDBValue[] {
  return Array.isArray(params);
}

/** CRM_TIERS_PROFILE=1 prints every statement's time to stderr: where a slow run spends it. */
const PROFILE = Boolean(process.env['CRM_TIERS_PROFILE']);

function profileLine(started: number, sql: string): void {
  const seconds = ((performance.now() - started) / 1000).toFixed(3);
  process.stderr.write(`[profile] ${seconds}s  ${sql.replace(/\s+/g, ' ').trim().slice(0, 140)}\n`);
}

export const DEFAULT_WAREHOUSE_PATH = 'data/warehouse.duckdb';

/** Raised when another process holds the warehouse file's write lock. */
export class WarehouseInUseError extends Error {
  constructor(readonly path: string, detail: string) {
    super(`warehouse is in use: ${path} is locked by another crm-tiers (or DuckDB) process. ` +
      `Wait for it to finish, or pass --warehouse to use another file.\n  (${detail})`);
    this.name = 'WarehouseInUseError';
  }
}

/**
 * DuckDB settings for every warehouse connection. The memory cap keeps a million-customer build inside a small
 * machine (DuckDB spills to disk beyond it): at 2.5 GB the whole process stays under 4 GiB (at 3 GB one
 * benchmark run peaked at 4.1 GiB, in the running totals; the lower cap cost them no measurable time).
 * CRM_TIERS_MEMORY_LIMIT overrides it, e.g. '8GB'. FSST string
 * compression is off: analysing millions of unique ids for it cost more write time (measured: about a third of
 * loading 10M orders) than the disk it saves is worth; dictionary compression still covers repetitive text.
 * A new warehouse file is written in the v1.4 storage format, not DuckDB's default (v0.10-compatible) one: its
 * string segments write faster (10M rows of a constant or null text column, as every provenance column is: 1.6 s →
 * 0.9 s and 0.4 s → 0.3 s; loading the 10.3M benchmark orders 15.5 s → 12.9 s). v1.4, not latest: the dashboard's
 * Evidence connector reads the file with DuckDB 1.4.
 */
export const DEFAULT_SETTINGS: Readonly<Record<string, string>> = Object.freeze({
  memory_limit: process.env['CRM_TIERS_MEMORY_LIMIT'] ?? '2.5GB',
  disabled_compression_methods: 'fsst',
  storage_compatibility_version: 'v1.4.0',
});

export interface OpenOptions {
  readonly readOnly?: boolean;
  /** DuckDB settings such as memory_limit or threads, applied at open. */
  readonly settings?: Readonly<Record<string, string>>;
}

/** One open DuckDB database file with a single connection; close it when done so the file lock is released. */
export class Warehouse {
  private constructor(
    readonly path: string,
    private readonly instance: DuckDBInstance,
    readonly connection: DuckDBConnection,
  ) {}

  static async open(path: string, options: OpenOptions = {}): Promise<Warehouse> {
    const absolute = path === ':memory:' ? path : resolve(path);
    if (absolute !== ':memory:' && !options.readOnly) mkdirSync(dirname(absolute), { recursive: true });
    const config: Record<string, string> = { ...DEFAULT_SETTINGS, ...options.settings };
    if (options.readOnly) config['access_mode'] = 'READ_ONLY';
    let instance: DuckDBInstance;
    try {
      instance = await DuckDBInstance.create(absolute, config);
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      if (/lock/i.test(message)) throw new WarehouseInUseError(path, message);
      if (options.readOnly && /does not exist|No such file/i.test(message)) {
        throw new Error(`warehouse not found: ${path}. Run \`crm-tiers run\` (or \`npm start\`) first.`);
      }
      throw error;
    }
    const connection = await instance.connect();
    return new Warehouse(path, instance, connection);
  }

  /**
   * Runs a statement (or several separated by semicolons, without values) and discards any result. Values are
   * positional (`$1`) or named with their types (`$name`, see BoundValues): constants to DuckDB, never SQL text.
   */
  async exec(sql: string, params?: readonly DuckDBValue[] | BoundValues): Promise<void> {
    const { values, types } = statementArguments(params);
    await this.profiled(sql, () => this.connection.run(sql, values, types));
  }

  /** Runs a query and returns its rows with numbers for counts and ISO strings for dates (values as for exec). */
  async rows<T extends object = Row>(sql: string, params?: readonly DuckDBValue[] | BoundValues): Promise<T[]> {
    const { values, types } = statementArguments(params);
    return toRows<T>(await this.profiled(sql, () => this.connection.runAndReadAll(sql, values, types)));
  }

  /** Like rows(), for showing to people: integers beyond 2^53 (hash keys) come back as exact text. */
  async displayRows(sql: string): Promise<Row[]> {
    return toRows(await this.connection.runAndReadAll(sql), displayValueConverter);
  }

  private async profiled<T>(sql: string, run: () => Promise<T>): Promise<T> {
    const started = PROFILE ? performance.now() : 0;
    const result = await run();
    if (PROFILE) profileLine(started, sql);
    return result;
  }

  close(): void {
    this.connection.closeSync();
    this.instance.closeSync();
  }
}

/** Opens the warehouse, runs `work`, and always closes it (so the file lock never outlives the command). */
export async function withWarehouse<T>(path: string, options: OpenOptions, work: (warehouse: Warehouse) => Promise<T>): Promise<T> {
  const warehouse = await Warehouse.open(path, options);
  try {
    return await work(warehouse);
  } finally {
    warehouse.close();
  }
}
