import { describe, expect, it } from 'vitest';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Warehouse } from '../pipelines/db/warehouse.ts';
import { loadModelProject, compileTemplate } from '../pipelines/runner/project.ts';
import { selectModels } from '../pipelines/runner/select.ts';
import { buildModels } from '../pipelines/runner/build.ts';
import { describeFailures, runDataTests } from '../pipelines/runner/data-tests.ts';
import { tempDir } from './helpers/fixtures.ts';

type ModelFiles = Record<string, { layer?: string; sql: string; yml?: string }>;

const SOURCES = [{ source: 'raw', table: 'things' }];

function yml(name: string, columns: string[], extra = ''): string {
  return `models:\n  - name: ${name}\n    description: test model\n    columns:\n${columns.map((c) => `      - name: ${c}\n        description: col\n`).join('')}${extra}`;
}

/** Writes a small model project to a temp folder and returns its models/ path. */
function writeProject(models: ModelFiles): string {
  const root = tempDir('runner');
  for (const [name, model] of Object.entries(models)) {
    const dir = join(root, 'models', model.layer ?? 'marts');
    mkdirSync(dir, { recursive: true });
    writeFileSync(join(dir, `${name}.sql`), model.sql);
    if (model.yml !== undefined) writeFileSync(join(dir, `${name}.yml`), model.yml);
  }
  return join(root, 'models');
}

const chain: ModelFiles = {
  stg_things: { layer: 'staging', sql: "select * from {{ source('raw', 'things') }}", yml: yml('stg_things', ['id', 'kind', 'amount']) },
  int_things_filtered: { layer: 'intermediate', sql: "select * from {{ ref('stg_things') }} where amount > 0", yml: yml('int_things_filtered', ['id', 'kind', 'amount']) },
  things_by_kind: { sql: "select kind, sum(amount) as amount from {{ ref('int_things_filtered') }} group by kind", yml: yml('things_by_kind', ['kind', 'amount']) },
  thing_count: { sql: "select count(*) as count from {{ ref('stg_things') }}", yml: yml('thing_count', ['count']) },
};

describe('model project', () => {
  it('orders models so each comes after what it refers to, ties by name', () => {
    const project = loadModelProject(writeProject(chain), SOURCES);
    expect(project.order).toEqual(['stg_things', 'int_things_filtered', 'thing_count', 'things_by_kind']);
    expect(project.models.get('stg_things')?.materialized).toBe('view');
    expect(project.models.get('things_by_kind')?.materialized).toBe('table');
  });

  it('compiles ref() and source() into relation names, param() into a named parameter, and rejects other template tags', () => {
    expect(compileTemplate("select * from {{ ref('a') }} join {{source(\"raw\", \"b\")}}", 'x.sql').sql).toBe('select * from "a" join "raw_b"');
    expect(compileTemplate("select {{ param('rfm_bins') }} * 2", 'x.sql')).toMatchObject({ sql: 'select $rfm_bins * 2', params: ['rfm_bins'] });
    expect(() => compileTemplate("select 1\nfrom {{ var('x') }}", 'models/marts/x.sql')).toThrow(/models\/marts\/x\.sql:2: unknown template tag \{\{ var\('x'\) \}\}/);
  });

  it('names the models in a cycle', () => {
    const dir = writeProject({
      a: { sql: "select * from {{ ref('c') }}", yml: yml('a', ['x']) },
      b: { sql: "select * from {{ ref('a') }}", yml: yml('b', ['x']) },
      c: { sql: "select * from {{ ref('b') }}", yml: yml('c', ['x']) },
      d: { sql: 'select 1 as x', yml: yml('d', ['x']) },
    });
    expect(() => loadModelProject(dir, SOURCES)).toThrow(/dependency cycle between models: (a → b → c → a|b → c → a → b|c → a → b → c)/);
  });

  it('names a missing ref, with the nearest model as a suggestion', () => {
    const dir = writeProject({ ...chain, broken: { sql: "select * from {{ ref('stg_thing') }}", yml: yml('broken', ['id']) } });
    expect(() => loadModelProject(dir, SOURCES)).toThrow(/models\/marts\/broken\.sql: ref\('stg_thing'\) names no model \(did you mean stg_things\?\)/);
  });

  it('names an undeclared source', () => {
    const dir = writeProject({ s: { layer: 'staging', sql: "select * from {{ source('raw', 'nope') }}", yml: yml('s', ['id']) } });
    expect(() => loadModelProject(dir, SOURCES)).toThrow(/source\('raw', 'nope'\) is not declared/);
  });

  it('requires a .yml beside each model, naming the model it documents', () => {
    expect(() => loadModelProject(writeProject({ lonely: { sql: 'select 1 as x' } }), SOURCES)).toThrow(/lonely\.sql: no lonely\.yml beside it/);
    expect(() => loadModelProject(writeProject({ m: { sql: 'select 1 as x', yml: yml('other', ['x']) } }), SOURCES)).toThrow(/describes model other/);
    const badTest = yml('m', []) + '      - name: x\n        description: col\n        tests: [uniqe]\n';
    expect(() => loadModelProject(writeProject({ m: { sql: 'select 1 as x', yml: badTest } }), SOURCES)).toThrow(/m\.yml: invalid configuration\n\s+models\.0\.columns\.0\.tests\.0/);
  });

  it('selects a model with what depends on it (name+), what it depends on (+name), or a layer', () => {
    const project = loadModelProject(writeProject(chain), SOURCES);
    expect(selectModels(project, ['int_things_filtered+'])).toEqual(['int_things_filtered', 'things_by_kind']);
    expect(selectModels(project, ['+things_by_kind'])).toEqual(['stg_things', 'int_things_filtered', 'things_by_kind']);
    expect(selectModels(project, ['thing_count', 'layer:staging'])).toEqual(['stg_things', 'thing_count']);
    expect(selectModels(project, [])).toEqual(project.order);
    expect(() => selectModels(project, ['nope+'])).toThrow(/no model named nope/);
  });
});

describe('build and data tests', () => {
  async function warehouseWithThings(): Promise<Warehouse> {
    const warehouse = await Warehouse.open(':memory:');
    await warehouse.exec(`create table raw_things as select * from (values (1, 'a', 10), (2, 'a', 5), (3, 'b', -1), (3, 'b', 7)) t(id, kind, amount)`);
    return warehouse;
  }

  it('builds views and tables in order and reports a failing data test with model, column, test and offending rows', async () => {
    const withTests: ModelFiles = {
      ...chain,
      stg_things: {
        layer: 'staging',
        sql: chain['stg_things']!.sql,
        yml: `models:
  - name: stg_things
    description: test model
    columns:
      - name: id
        description: id
        tests: [unique, not_null]
      - name: kind
        description: kind
        tests:
          - accepted_values: { values: [a] }
      - name: amount
        description: amount
        tests:
          - expression_is_true: { expression: ">= 0" }
`,
      },
    };
    const project = loadModelProject(writeProject(withTests), SOURCES);
    const warehouse = await warehouseWithThings();
    try {
      const built = await buildModels(warehouse, project, project.order);
      expect(built.map((b) => [b.name, b.rows])).toEqual([['stg_things', null], ['int_things_filtered', null], ['thing_count', 1], ['things_by_kind', 2]]);
      expect(await warehouse.rows('select * from things_by_kind order by kind')).toEqual([{ kind: 'a', amount: 15 }, { kind: 'b', amount: 7 }]);
      expect(await warehouse.rows('select count from thing_count')).toEqual([{ count: 4 }]);

      const results = await runDataTests(warehouse, project, ['stg_things']);
      const failing = results.filter((r) => r.status !== 'pass').map((r) => [r.column, r.test, r.failures]);
      expect(failing).toEqual([
        ['id', 'unique', 1],
        ['kind', 'accepted_values [a]', 1],
        ['amount', 'expression_is_true: amount >= 0', 1],
      ]);
      const text = describeFailures(results).join('\n');
      expect(text).toContain('FAIL  stg_things.id unique: 1 offending row');
      expect(text).toContain('{"id":3,"occurrences":2}');
      expect(text).toContain('{"id":3,"kind":"b","amount":-1}');
    } finally {
      warehouse.close();
    }
  });

  it('fails the column check when the .yml and the SQL disagree', async () => {
    const project = loadModelProject(writeProject({
      stg_things: { layer: 'staging', sql: chain['stg_things']!.sql, yml: yml('stg_things', ['id', 'kind', 'colour']) },
    }), SOURCES);
    const warehouse = await warehouseWithThings();
    try {
      await buildModels(warehouse, project, project.order);
      const [check] = await runDataTests(warehouse, project, project.order);
      expect(check?.status).toBe('fail');
      expect(check?.sample).toEqual([
        { column: 'amount', problem: 'not documented in the .yml' },
        { column: 'colour', problem: 'documented but not produced by the SQL' },
      ]);
    } finally {
      warehouse.close();
    }
  });

  it('checks relationships between models', async () => {
    const project = loadModelProject(writeProject({
      ...chain,
      things_by_kind: {
        sql: chain['things_by_kind']!.sql,
        yml: `${yml('things_by_kind', ['amount'])}      - name: kind\n        description: k\n        tests:\n          - relationships: { to: "ref('thing_kinds')", field: kind }\n`,
      },
      thing_kinds: { sql: "select 'a' as kind", yml: yml('thing_kinds', ['kind']) },
    }), SOURCES);
    const warehouse = await warehouseWithThings();
    try {
      await buildModels(warehouse, project, project.order);
      const results = await runDataTests(warehouse, project, ['things_by_kind']);
      const relation = results.find((r) => r.test.startsWith('relationships'));
      expect(relation).toMatchObject({ status: 'fail', failures: 1, sample: [{ kind: 'b' }] });
    } finally {
      warehouse.close();
    }
  });

  it('rolls the whole build back when one model fails, naming the model and its file', async () => {
    const project = loadModelProject(writeProject({
      ...chain,
      things_by_kind: { sql: "select no_such_column from {{ ref('int_things_filtered') }}", yml: yml('things_by_kind', ['kind']) },
    }), SOURCES);
    const warehouse = await warehouseWithThings();
    try {
      await expect(buildModels(warehouse, project, project.order)).rejects.toThrow(/model things_by_kind \(.*models\/marts\/things_by_kind\.sql\) failed to build:[\s\S]*no_such_column/);
      const relations = await warehouse.rows(`select table_name from information_schema.tables where table_name <> 'raw_things'`);
      expect(relations).toEqual([]); // nothing half-built remains
    } finally {
      warehouse.close();
    }
  });

  it('keeps the last good build when a rebuild fails, and clears what a killed build left', async () => {
    const dir = writeProject(chain);
    const warehouse = await warehouseWithThings();
    const relations = () => warehouse.rows(`select table_name, table_type from information_schema.tables order by table_name`);
    try {
      const good = loadModelProject(dir, SOURCES);
      await buildModels(warehouse, good, good.order);
      const before = { relations: await relations(), rows: await warehouse.rows('select * from things_by_kind order by kind') };
      // a killed build leaves relations under building names behind
      await warehouse.exec('create table _building_thing_count as select 1 as count; create view _building_stg_things as select 1 as id');
      writeFileSync(join(dir, 'intermediate', 'int_things_filtered.sql'), "select * from {{ ref('stg_things') }} where amount > 1000");
      writeFileSync(join(dir, 'marts', 'things_by_kind.sql'), "select no_such_column from {{ ref('int_things_filtered') }}");
      const bad = loadModelProject(dir, SOURCES);
      await expect(buildModels(warehouse, bad, bad.order)).rejects.toThrow(/model things_by_kind .* failed to build:[\s\S]*no_such_column/);
      // int_things_filtered was rebuilt before the failure, but nothing of that build was swapped in
      expect(await relations()).toEqual(before.relations);
      expect(await warehouse.rows('select * from things_by_kind order by kind')).toEqual(before.rows);
      expect(await warehouse.rows('select count(*)::int as n from int_things_filtered')).toEqual([{ n: 3 }]);
    } finally {
      warehouse.close();
    }
  });

  it('inlines an ephemeral model where it is ref\'d, leaves no relation under its name and refuses tests on it', async () => {
    const dir = writeProject(chain);
    const warehouse = await warehouseWithThings();
    const ephemeral = '    config:\n      materialized: ephemeral\n';
    try {
      const first = loadModelProject(dir, SOURCES);
      await buildModels(warehouse, first, first.order);
      const before = await warehouse.rows('select * from things_by_kind order by kind');
      // the filter becomes ephemeral, and so does a second model on top of it (an ephemeral model refs another)
      writeFileSync(join(dir, 'intermediate', 'int_things_filtered.yml'), yml('int_things_filtered', ['id', 'kind', 'amount'], ephemeral));
      mkdirSync(join(dir, 'intermediate'), { recursive: true });
      writeFileSync(join(dir, 'intermediate', 'int_things_doubled.sql'), "select id, kind, 2 * amount as amount from {{ ref('int_things_filtered') }}");
      writeFileSync(join(dir, 'intermediate', 'int_things_doubled.yml'), yml('int_things_doubled', ['id', 'kind', 'amount'], ephemeral));
      writeFileSync(join(dir, 'marts', 'doubled_by_kind.sql'), "select kind, sum(amount) as amount from {{ ref('int_things_doubled') }} group by kind");
      writeFileSync(join(dir, 'marts', 'doubled_by_kind.yml'), yml('doubled_by_kind', ['kind', 'amount']));
      const second = loadModelProject(dir, SOURCES);
      const doubled = second.models.get('doubled_by_kind')?.compiledSql ?? '';
      expect(doubled).toContain('where amount > 0');
      expect(doubled).toContain('2 * amount');
      expect(doubled).not.toMatch(/"int_things_(filtered|doubled)"/);
      const built = await buildModels(warehouse, second, second.order);
      expect(built.find((b) => b.name === 'int_things_filtered')).toMatchObject({ materialized: 'ephemeral', rows: null });
      expect(await warehouse.rows('select * from things_by_kind order by kind')).toEqual(before);
      const doubledRows = await warehouse.rows<{ kind: string; amount: number }>('select kind, amount::double as amount from doubled_by_kind order by kind');
      expect(doubledRows).toEqual(before.map((row) => ({ kind: row['kind'], amount: 2 * Number(row['amount']) })));
      const relations = await warehouse.rows(`select table_name from information_schema.tables where table_name in ('int_things_filtered', 'int_things_doubled')`);
      expect(relations).toEqual([]); // the view from the first build is gone, and nothing was made for the new one
      // its .yml is still checked against the columns its query gives
      expect(describeFailures(await runDataTests(warehouse, second, second.order))).toEqual([]);
      writeFileSync(join(dir, 'intermediate', 'int_things_doubled.yml'), yml('int_things_doubled', ['id', 'kind', 'amount', 'bogus'], ephemeral));
      const drifted = loadModelProject(dir, SOURCES);
      expect(describeFailures(await runDataTests(warehouse, drifted, drifted.order)).join('\n'))
        .toMatch(/FAIL  int_things_doubled columns match \.yml: 1 offending row[\s\S]*bogus/);
      writeFileSync(join(dir, 'intermediate', 'int_things_doubled.yml'), yml('int_things_doubled', ['id', 'kind', 'amount'], ephemeral));

      writeFileSync(join(dir, 'intermediate', 'int_things_filtered.yml'),
        yml('int_things_filtered', ['id', 'kind', 'amount'], ephemeral).replace('        description: col\n', '        description: col\n        tests: [not_null]\n'));
      expect(() => loadModelProject(dir, SOURCES)).toThrow(/int_things_filtered\.yml: int_things_filtered is ephemeral .* cannot have tests/);
    } finally {
      warehouse.close();
    }
  });

  it('binds {{ param() }} values by name and type, in tables and ephemeral models, and refuses them in views', async () => {
    const ephemeral = '    config:\n      materialized: ephemeral\n';
    const dir = writeProject({
      ...chain,
      int_things_filtered: {
        layer: 'intermediate',
        sql: "select * from {{ ref('stg_things') }} where amount >= {{ param('min_amount') }} and kind <> {{ param('left_out') }}",
        yml: yml('int_things_filtered', ['id', 'kind', 'amount'], ephemeral),
      },
    });
    const warehouse = await warehouseWithThings();
    try {
      const project = loadModelProject(dir, SOURCES);
      expect(project.models.get('things_by_kind')?.params).toEqual(['min_amount', 'left_out']);
      expect(project.models.get('things_by_kind')?.compiledSql).toContain('amount >= $min_amount');
      const parameters = { min_amount: { type: 'integer', value: 6 }, left_out: { type: 'varchar', value: 'b' }, unused: { type: 'double', value: null } } as const;
      await buildModels(warehouse, project, project.order, { parameters });
      expect(await warehouse.rows('select kind, amount::integer as amount from things_by_kind order by kind')).toEqual([{ kind: 'a', amount: 10 }]);
      // the ephemeral model's columns are checked against its .yml with the same values bound
      expect(describeFailures(await runDataTests(warehouse, project, project.order, parameters))).toEqual([]);
      await expect(buildModels(warehouse, project, project.order, { parameters: { min_amount: parameters.min_amount } }))
        .rejects.toThrow(/model things_by_kind .* failed to build:[\s\S]*\{\{ param\('left_out'\) \}\} has no value \(the build binds: min_amount\)/);
      writeFileSync(join(dir, 'intermediate', 'int_things_filtered.yml'), yml('int_things_filtered', ['id', 'kind', 'amount']));
      expect(() => loadModelProject(dir, SOURCES)).toThrow(/int_things_filtered\.sql: binds \{\{ param\('min_amount'\) \}\}, but it is a view/);
    } finally {
      warehouse.close();
    }
  });

  it('rebuilds a model that switched from view to table', async () => {
    const dir = writeProject(chain);
    const warehouse = await warehouseWithThings();
    try {
      const first = loadModelProject(dir, SOURCES);
      await buildModels(warehouse, first, first.order);
      writeFileSync(join(dir, 'staging', 'stg_things.yml'), yml('stg_things', ['id', 'kind', 'amount'], '    config:\n      materialized: table\n').replace('    columns:', '    columns:'));
      const second = loadModelProject(dir, SOURCES);
      expect(second.models.get('stg_things')?.materialized).toBe('table');
      await buildModels(warehouse, second, second.order);
      const [row] = await warehouse.rows<{ table_type: string }>(`select table_type from information_schema.tables where table_name = 'stg_things'`);
      expect(row?.table_type).toBe('BASE TABLE');
    } finally {
      warehouse.close();
    }
  });
});
