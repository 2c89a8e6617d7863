import type { BoundValues, Warehouse } from '../db/warehouse.ts';
import type { Row } from '../db/values.ts';
import type { ColumnTestSpec, ModelTestSpec } from './model-spec.ts';
import { boundValuesFor, quoteIdentifier, type Model, type ModelProject } from './project.ts';
import { sqlString } from '../db/sql-text.ts';

/** One data test compiled to a query that returns the offending rows (none = pass), dbt-style. */
export interface CompiledDataTest {
  readonly model: string;
  readonly column: string | null;
  readonly test: string;
  readonly sql: string;
}

export interface DataTestResult {
  readonly model: string;
  readonly column: string | null;
  readonly test: string;
  readonly status: 'pass' | 'fail' | 'error';
  readonly failures: number;
  /** A few offending rows, to show what is wrong without another query. */
  readonly sample: readonly Row[];
  readonly error?: string;
}

const SAMPLE_ROWS = 5;

function literal(value: string | number | boolean): string {
  return typeof value === 'string' ? sqlString(value) : String(value);
}

function compileColumnTest(model: Model, column: string, spec: ColumnTestSpec): CompiledDataTest {
  const relation = quoteIdentifier(model.name);
  const col = quoteIdentifier(column);
  const base = { model: model.name, column };
  if (spec === 'unique') {
    return { ...base, test: 'unique', sql: `select ${col}, count(*) as occurrences from ${relation} where ${col} is not null group by ${col} having count(*) > 1` };
  }
  if (spec === 'not_null') {
    return { ...base, test: 'not_null', sql: `select * from ${relation} where ${col} is null` };
  }
  if ('accepted_values' in spec) {
    const values = spec.accepted_values.values.map(literal).join(', ');
    return {
      ...base,
      test: `accepted_values [${spec.accepted_values.values.join(', ')}]`,
      sql: `select ${col}, count(*) as occurrences from ${relation} where ${col} is not null and ${col} not in (${values}) group by ${col}`,
    };
  }
  if ('relationships' in spec) {
    const parent = /['"](\w+)['"]/.exec(spec.relationships.to)?.[1] ?? '';
    const field = quoteIdentifier(spec.relationships.field);
    return {
      ...base,
      test: `relationships → ${parent}.${spec.relationships.field}`,
      sql: `select child.${col} from ${relation} as child left join ${quoteIdentifier(parent)} as parent on child.${col} = parent.${field} where child.${col} is not null and parent.${field} is null`,
    };
  }
  return {
    ...base,
    test: `expression_is_true: ${column} ${spec.expression_is_true.expression}`,
    sql: `select * from ${relation} where not coalesce((${col} ${spec.expression_is_true.expression}), false)`,
  };
}

function compileModelTest(model: Model, spec: ModelTestSpec): CompiledDataTest {
  const relation = quoteIdentifier(model.name);
  if ('expression_is_true' in spec) {
    return {
      model: model.name,
      column: null,
      test: `expression_is_true: ${spec.expression_is_true.expression}`,
      sql: `select * from ${relation} where not coalesce((${spec.expression_is_true.expression}), false)`,
    };
  }
  const columns = spec.unique_combination_of_columns.combination_of_columns;
  const list = columns.map(quoteIdentifier).join(', ');
  return {
    model: model.name,
    column: null,
    test: `unique_combination_of_columns (${columns.join(', ')})`,
    sql: `select ${list}, count(*) as occurrences from ${relation} group by ${list} having count(*) > 1`,
  };
}

/** Every declared test of the given models, plus one check per model that its .yml documents exactly its columns. */
export function compileDataTests(project: ModelProject, selected: readonly string[]): CompiledDataTest[] {
  const tests: CompiledDataTest[] = [];
  for (const name of selected) {
    const model = project.models.get(name);
    if (!model) continue;
    for (const column of model.spec.columns) {
      for (const spec of column.tests ?? []) tests.push(compileColumnTest(model, column.name, spec));
    }
    for (const spec of model.spec.tests ?? []) tests.push(compileModelTest(model, spec));
  }
  return tests;
}

async function runOne(warehouse: Warehouse, test: CompiledDataTest): Promise<DataTestResult> {
  const base = { model: test.model, column: test.column, test: test.test };
  try {
    // one scan: the window count gives the total while the limit keeps only a sample
    const rows = await warehouse.displayRows(`select count(*) over () as __failures, * from (${test.sql}) limit ${SAMPLE_ROWS}`);
    const failures = Number(rows[0]?.['__failures'] ?? 0);
    const sample = rows.map(({ __failures: _, ...rest }) => rest);
    return { ...base, status: failures === 0 ? 'pass' : 'fail', failures, sample };
  } catch (error) {
    return { ...base, status: 'error', failures: 0, sample: [], error: (error as Error).message };
  }
}

/** Compares the relation's actual columns with those its .yml documents: drift either way is a failure. */
async function checkDocumentedColumns(warehouse: Warehouse, model: Model, parameters: BoundValues): Promise<DataTestResult> {
  const base = { model: model.name, column: null, test: 'columns match .yml' };
  try {
    // an ephemeral model has no relation: its query is described instead (planned, not run)
    const actual = model.materialized === 'ephemeral'
      ? (await warehouse.rows<{ column_name: string }>(`describe (${model.compiledSql})`, boundValuesFor(model, parameters))).map((r) => r.column_name)
      : (await warehouse.rows<{ column_name: string }>(
        `select column_name from information_schema.columns where table_schema = 'main' and table_name = $1 order by ordinal_position`,
        [model.name],
      )).map((r) => r.column_name);
    if (actual.length === 0) return { ...base, status: 'error', failures: 0, sample: [], error: `${model.name} is not built; run crm-tiers build first` };
    const documented = model.spec.columns.map((c) => c.name);
    const sample: Row[] = [
      ...actual.filter((c) => !documented.includes(c)).map((c) => ({ column: c, problem: 'not documented in the .yml' })),
      ...documented.filter((c) => !actual.includes(c)).map((c) => ({ column: c, problem: 'documented but not produced by the SQL' })),
    ];
    return { ...base, status: sample.length === 0 ? 'pass' : 'fail', failures: sample.length, sample };
  } catch (error) {
    return { ...base, status: 'error', failures: 0, sample: [], error: (error as Error).message };
  }
}

/** `parameters`: the values models bind with {{ param() }} (an ephemeral model's query is described with them). */
export async function runDataTests(warehouse: Warehouse, project: ModelProject, selected: readonly string[], parameters: BoundValues = {}): Promise<DataTestResult[]> {
  const results: DataTestResult[] = [];
  for (const name of selected) {
    const model = project.models.get(name);
    if (model) results.push(await checkDocumentedColumns(warehouse, model, parameters));
  }
  for (const test of compileDataTests(project, selected)) results.push(await runOne(warehouse, test));
  return results;
}

/** Human-readable lines for failing and erroring tests: model, column, test and a few offending rows. */
export function describeFailures(results: readonly DataTestResult[]): string[] {
  return results
    .filter((r) => r.status !== 'pass')
    .map((r) => {
      const where = r.column ? `${r.model}.${r.column}` : r.model;
      if (r.status === 'error') return `ERROR ${where} ${r.test}: ${r.error}`;
      const rows = r.sample.map((row) => `      ${JSON.stringify(row)}`).join('\n');
      return `FAIL  ${where} ${r.test}: ${r.failures} offending row${r.failures === 1 ? '' : 's'}\n${rows}`;
    });
}
