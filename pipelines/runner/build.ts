import type { Warehouse } from '../db/warehouse.ts';
import { ModelBuildError } from './errors.ts';
import { quoteIdentifier, type Model, type ModelProject } from './project.ts';

export interface BuiltModel {
  readonly name: string;
  readonly materialized: Model['materialized'];
  readonly rows: number | null;
  readonly seconds: number;
}

export interface BuildOptions {
  readonly log?: (line: string) => void;
  /** Runs after each model is built, inside the build's transaction (e.g. a TypeScript step that models read). */
  readonly afterModel?: (name: string) => Promise<void>;
}

/**
 * Builds the selected models in order inside one transaction: a failure leaves the warehouse exactly as it was
 * before the build, never half old and half new.
 */
export async function buildModels(warehouse: Warehouse, project: ModelProject, selected: readonly string[], options: BuildOptions = {}): Promise<BuiltModel[]> {
  const built: BuiltModel[] = [];
  await warehouse.exec('begin transaction');
  try {
    for (const name of selected) {
      const model = project.models.get(name);
      if (!model) throw new Error(`unknown model ${name}`);
      const started = performance.now();
      try {
        await dropIfOtherKind(warehouse, model);
        const kind = model.materialized === 'table' ? 'table' : 'view';
        await warehouse.exec(`create or replace ${kind} ${quoteIdentifier(model.name)} as\n${model.compiledSql}`);
      } catch (error) {
        throw new ModelBuildError(model.name, model.file, error);
      }
      const rows = model.materialized === 'table' ? await countRows(warehouse, model.name) : null;
      const seconds = (performance.now() - started) / 1000;
      built.push({ name, materialized: model.materialized, rows, seconds });
      options.log?.(`  ${model.materialized.padEnd(5)} ${name}${rows === null ? '' : ` (${rows.toLocaleString('en-US')} rows)`} ${seconds.toFixed(2)}s`);
      await options.afterModel?.(name);
    }
    await warehouse.exec('commit');
  } catch (error) {
    await warehouse.exec('rollback');
    throw error;
  }
  return built;
}

/** A model that switched between view and table must lose its old relation first; create-or-replace only replaces its own kind. */
async function dropIfOtherKind(warehouse: Warehouse, model: Model): Promise<void> {
  const existing = await warehouse.rows<{ table_type: string }>(
    `select table_type from information_schema.tables where table_schema = 'main' and table_name = $1`,
    [model.name],
  );
  const type = existing[0]?.table_type;
  if (type === 'VIEW' && model.materialized === 'table') await warehouse.exec(`drop view ${quoteIdentifier(model.name)}`);
  if (type === 'BASE TABLE' && model.materialized === 'view') await warehouse.exec(`drop table ${quoteIdentifier(model.name)}`);
}

async function countRows(warehouse: Warehouse, name: string): Promise<number> {
  const [row] = await warehouse.rows<{ n: number }>(`select count(*) as n from ${quoteIdentifier(name)}`);
  return row?.n ?? 0;
}
