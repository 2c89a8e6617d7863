import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { basename, join, relative } from 'node:path';
import { readYamlFile } from '../config/yaml-file.ts';
import { parseConfig } from '../config/zod-errors.ts';
import { ModelProjectError } from './errors.ts';
import { modelFileSchema, type Materialization, type ModelSpec } from './model-spec.ts';
import { orderModels } from './graph.ts';
import { quoteIdentifier } from '../db/sql-text.ts';
import type { BoundValues } from '../db/warehouse.ts';

export { quoteIdentifier };

export const LAYERS = ['staging', 'intermediate', 'marts'] as const;
export type Layer = (typeof LAYERS)[number];

/** Where each layer materializes unless its .yml says otherwise: cheap views for staging, tables for what is read. */
const DEFAULT_MATERIALIZATION: Readonly<Record<Layer, Materialization>> = {
  staging: 'view',
  intermediate: 'view',
  marts: 'table',
};

export interface SourceReference {
  readonly source: string;
  readonly table: string;
}

export interface Model {
  readonly name: string;
  /** Path relative to the project root, for error messages. */
  readonly file: string;
  readonly layer: Layer;
  readonly materialized: Materialization;
  readonly spec: ModelSpec;
  /** The SQL with {{ ref() }} and {{ source() }} replaced by relation names (ephemeral models' SQL inlined). */
  readonly compiledSql: string;
  /** The model file's SQL as written, for compiling it against other relation names (see compileModel). */
  readonly sqlText: string;
  readonly refs: readonly string[];
  readonly sources: readonly SourceReference[];
  /** The values it binds with {{ param('name') }} (`$name` in the compiled SQL), its ephemeral refs' included. */
  readonly params: readonly string[];
}

export interface ModelProject {
  readonly modelsDir: string;
  readonly models: ReadonlyMap<string, Model>;
  /** Every model name in an order where each comes after all it refers to. */
  readonly order: readonly string[];
}

/** The relation a source table lives in: source('raw', 'orders') is the table raw_orders. */
export function sourceRelation(source: string, table: string): string {
  return `${source}_${table}`;
}

const TEMPLATE_TAG = /\{\{\s*(.*?)\s*\}\}/g;
const REF_CALL = /^ref\(\s*['"]([a-z][a-z0-9_]*)['"]\s*\)$/;
const SOURCE_CALL = /^source\(\s*['"]([a-z][a-z0-9_]*)['"]\s*,\s*['"]([a-z][a-z0-9_]*)['"]\s*\)$/;
const PARAM_CALL = /^param\(\s*['"]([a-z][a-z0-9_]*)['"]\s*\)$/;

interface CompiledTemplate {
  readonly sql: string;
  readonly refs: string[];
  readonly sources: SourceReference[];
  readonly params: string[];
}

/**
 * Replaces {{ ref('m') }}, {{ source('s', 't') }} and {{ param('p') }} (a named parameter, `$p`, whose value the
 * build binds: a config value as a constant, never pasted into the SQL text); any other template tag is an
 * error, not silently kept.
 * `inlineRef` gives the SQL that stands for a ref instead of its relation name (an ephemeral model's subquery).
 */
export function compileTemplate(sql: string, file: string, inlineRef: (name: string) => string | undefined = () => undefined): CompiledTemplate {
  const refs: string[] = [];
  const sources: SourceReference[] = [];
  const params: string[] = [];
  const compiled = sql.replace(TEMPLATE_TAG, (tag: string, body: string) => {
    const ref = REF_CALL.exec(body);
    if (ref?.[1]) {
      if (!refs.includes(ref[1])) refs.push(ref[1]);
      return inlineRef(ref[1]) ?? quoteIdentifier(ref[1]);
    }
    const source = SOURCE_CALL.exec(body);
    if (source?.[1] && source[2]) {
      const reference = { source: source[1], table: source[2] };
      if (!sources.some((s) => s.source === reference.source && s.table === reference.table)) sources.push(reference);
      return quoteIdentifier(sourceRelation(source[1], source[2]));
    }
    const param = PARAM_CALL.exec(body);
    if (param?.[1]) {
      if (!params.includes(param[1])) params.push(param[1]);
      return `$${param[1]}`;
    }
    const line = sql.slice(0, sql.indexOf(tag)).split('\n').length;
    throw new ModelProjectError(`${file}:${line}: unknown template tag ${tag}; only {{ ref('model') }}, {{ source('source', 'table') }} and {{ param('name') }} are supported`);
  });
  return { sql: compiled, refs, sources, params };
}


function listSqlFiles(dir: string): string[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir)
    .flatMap((entry) => {
      const path = join(dir, entry);
      if (statSync(path).isDirectory()) return listSqlFiles(path);
      return entry.endsWith('.sql') ? [path] : [];
    })
    .sort();
}

/**
 * Reads every model under models/staging|intermediate|marts, with the .yml beside it, and checks the project:
 * each ref names a model, each source is known, no cycles. Nothing touches the warehouse here.
 */
export function loadModelProject(modelsDir: string, knownSources: readonly SourceReference[], projectRoot = process.cwd()): ModelProject {
  const models = new Map<string, Model>();
  for (const layer of LAYERS) {
    for (const sqlPath of listSqlFiles(join(modelsDir, layer))) {
      const file = relative(projectRoot, sqlPath);
      const name = basename(sqlPath, '.sql');
      const existing = models.get(name);
      if (existing) throw new ModelProjectError(`two models are named ${name}: ${existing.file} and ${file}`);
      const ymlPath = sqlPath.replace(/\.sql$/, '.yml');
      if (!existsSync(ymlPath)) {
        throw new ModelProjectError(`${file}: no ${basename(ymlPath)} beside it; every model documents its columns and tests in a .yml`);
      }
      const ymlFile = relative(projectRoot, ymlPath);
      const parsed = parseConfig(modelFileSchema, readYamlFile(ymlPath), ymlFile);
      const spec = parsed.models[0] as ModelSpec;
      if (spec.name !== name) throw new ModelProjectError(`${ymlFile}: describes model ${spec.name}, but the SQL file beside it is ${name}.sql`);
      const sqlText = readFileSync(sqlPath, 'utf8');
      const template = compileTemplate(sqlText, file);
      const materialized = spec.config?.materialized ?? DEFAULT_MATERIALIZATION[layer];
      if (materialized === 'ephemeral' && (spec.tests?.length || spec.columns.some((c) => c.tests?.length))) {
        throw new ModelProjectError(`${ymlFile}: ${name} is ephemeral (inlined where it is ref'd, no relation of its own), so it cannot have tests; declare them on a model that reads it`);
      }
      models.set(name, {
        name,
        file,
        layer,
        materialized,
        spec,
        compiledSql: template.sql.trim().replace(/;\s*$/, ''),
        sqlText,
        refs: template.refs,
        sources: template.sources,
        params: template.params,
      });
    }
  }
  checkReferences(models, knownSources);
  const order = orderModels(models);
  // in dependency order, so an ephemeral model that refs another carries it whole
  for (const name of order) {
    const model = models.get(name);
    const inlined = model?.refs.map((ref) => models.get(ref)).filter((ref) => ref?.materialized === 'ephemeral') ?? [];
    if (model && inlined.length > 0) {
      const params = [...new Set([...model.params, ...inlined.flatMap((ref) => ref?.params ?? [])])];
      models.set(name, { ...model, compiledSql: compileModel(models, name, (ref) => ref), params });
    }
  }
  for (const model of models.values()) {
    if (model.materialized === 'view' && model.params.length > 0) {
      throw new ModelProjectError(`${model.file}: binds {{ param('${model.params[0]}') }}, but it is a view, and a stored view cannot hold bound values; materialize it as a table (or ephemeral, read by a table)`);
    }
  }
  return { modelsDir, models, order };
}

/**
 * A model's SQL with each ref replaced by `relationOf(ref)` — or, for an ephemeral model, by its SQL (compiled the
 * same way) as a parenthesised subquery. A build uses it to point models at the relations it is building.
 */
export function compileModel(models: ReadonlyMap<string, Model>, name: string, relationOf: (ref: string) => string): string {
  const model = models.get(name);
  if (!model) throw new Error(`unknown model ${name}`);
  const inlineRef = (ref: string) => (models.get(ref)?.materialized === 'ephemeral'
    ? `(\n${compileModel(models, ref, relationOf)}\n)`
    : quoteIdentifier(relationOf(ref)));
  return compileTemplate(model.sqlText, model.file, inlineRef).sql.trim().replace(/;\s*$/, '');
}

/** The values a model binds with {{ param() }}, picked from `parameters`; each one it uses must be there. */
export function boundValuesFor(model: Model, parameters: BoundValues): BoundValues {
  const missing = model.params.filter((name) => !Object.hasOwn(parameters, name));
  if (missing.length > 0) {
    const known = Object.keys(parameters);
    throw new Error(`{{ param('${missing[0]}') }} has no value${known.length > 0 ? ` (the build binds: ${known.join(', ')})` : ' (nothing is bound)'}`);
  }
  return Object.fromEntries(model.params.map((name) => [name, parameters[name]!]));
}

function checkReferences(models: ReadonlyMap<string, Model>, knownSources: readonly SourceReference[]): void {
  const problems: string[] = [];
  for (const model of models.values()) {
    for (const ref of model.refs) {
      if (!models.has(ref)) problems.push(`${model.file}: ref('${ref}') names no model${suggest(ref, [...models.keys()])}`);
    }
    for (const { source, table } of model.sources) {
      if (!knownSources.some((s) => s.source === source && s.table === table)) {
        const known = knownSources.map((s) => `${s.source}.${s.table}`);
        problems.push(`${model.file}: source('${source}', '${table}') is not declared${suggest(`${source}.${table}`, known)}`);
      }
    }
    for (const test of model.spec.columns.flatMap((c) => c.tests ?? [])) {
      if (typeof test === 'object' && 'relationships' in test) {
        const target = /['"](\w+)['"]/.exec(test.relationships.to)?.[1] ?? '';
        if (!models.has(target)) problems.push(`${model.file.replace(/\.sql$/, '.yml')}: relationships test points to ${test.relationships.to}, which is no model`);
      }
    }
  }
  if (problems.length > 0) throw new ModelProjectError(problems.join('\n'));
}

/** "did you mean …" for the nearest known name, so a typo is found at a glance. */
function suggest(name: string, candidates: readonly string[]): string {
  let best: string | undefined;
  let bestDistance = Infinity;
  for (const candidate of candidates) {
    const distance = levenshtein(name, candidate);
    if (distance < bestDistance) {
      best = candidate;
      bestDistance = distance;
    }
  }
  return best !== undefined && bestDistance <= Math.max(2, Math.floor(name.length / 3)) ? ` (did you mean ${best}?)` : '';
}

function levenshtein(a: string, b: string): number {
  let previous = Array.from({ length: b.length + 1 }, (_, i) => i);
  for (let i = 1; i <= a.length; i++) {
    const current = [i];
    for (let j = 1; j <= b.length; j++) {
      current[j] = Math.min((previous[j] ?? 0) + 1, (current[j - 1] ?? 0) + 1, (previous[j - 1] ?? 0) + (a[i - 1] === b[j - 1] ? 0 : 1));
    }
    previous = current;
  }
  return previous[b.length] ?? 0;
}
