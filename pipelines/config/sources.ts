import { z } from 'zod';
import { readYamlFile } from './yaml-file.ts';
import { ConfigError, parseConfig } from './zod-errors.ts';

/**
 * models/sources.yml: the raw tables the loader fills, the file each comes from, and what a valid row looks like.
 * Rows that break these rules go to quarantine with the reason, instead of failing the run or vanishing.
 */
export const columnTypes = ['text', 'date', 'decimal', 'integer'] as const;
export const loadModes = ['replace', 'append'] as const;
export type LoadMode = (typeof loadModes)[number];

const sourceColumnSchema = z.strictObject({
  name: z.string().regex(/^[a-z][a-z0-9_]*$/, 'column names are lower_snake_case as in the export header'),
  type: z.enum(columnTypes).default('text'),
  required: z.boolean().default(false),
  values: z.array(z.string()).min(1).optional(),
  /** May be missing from a file in the canonical layout; it is then empty. */
  optional: z.boolean().default(false),
  description: z.string().min(1),
});

const referenceSchema = z.strictObject({
  column: z.string(),
  table: z.string(),
  field: z.string(),
});

const sourceTableSchema = z.strictObject({
  name: z.string().regex(/^[a-z][a-z0-9_]*$/),
  file: z.string().min(1),
  /** The canonical layout may have no file for it; the table is then empty. */
  optional: z.boolean().default(false),
  description: z.string().min(1),
  unique_key: z.string().optional(),
  references: z.array(referenceSchema).default([]),
  columns: z.array(sourceColumnSchema).min(1),
});

const sourceSchema = z.strictObject({
  name: z.string().regex(/^[a-z][a-z0-9_]*$/),
  description: z.string().min(1),
  tables: z.array(sourceTableSchema).min(1),
});

export const sourcesFileSchema = z.strictObject({
  version: z.literal(1),
  /** A load whose share of quarantined rows in any file passes this fails (the data stays loaded for a look). */
  max_reject_rate: z.number().min(0).max(1).default(0.05),
  /** replace: a load is the warehouse's new raw data; append: rows are added, same (source_system, source_id) replaced. */
  load_mode: z.enum(loadModes).default('replace'),
  /** Export headers no adapter knows → canonical column, per table. */
  column_mappings: z.record(z.string(), z.record(z.string(), z.string())).default({}),
  sources: z.array(sourceSchema).min(1),
});

export type SourcesConfig = z.output<typeof sourcesFileSchema>;
export type SourceTable = z.output<typeof sourceTableSchema>;
export type SourceColumn = z.output<typeof sourceColumnSchema>;

export function loadSourcesConfig(file: string): Readonly<SourcesConfig> {
  const config = parseConfig(sourcesFileSchema, readYamlFile(file), file);
  checkConsistency(config, file);
  return config;
}

function checkConsistency(config: SourcesConfig, file: string): void {
  const problems: string[] = [];
  config.sources.forEach((source, s) => {
    const tableNames = source.tables.map((t) => t.name);
    source.tables.forEach((table, t) => {
      const at = `sources.${s}.tables.${t}`;
      const columns = table.columns.map((c) => c.name);
      if (table.unique_key && !columns.includes(table.unique_key)) problems.push(`${at}.unique_key: ${table.unique_key} is not one of its columns`);
      table.references.forEach((ref, r) => {
        if (!columns.includes(ref.column)) problems.push(`${at}.references.${r}.column: ${ref.column} is not one of its columns`);
        const target = source.tables.find((x) => x.name === ref.table);
        if (!target) problems.push(`${at}.references.${r}.table: ${ref.table} is not a table of source ${source.name} (${tableNames.join(', ')})`);
        else if (!target.columns.some((c) => c.name === ref.field)) problems.push(`${at}.references.${r}.field: ${ref.table} has no column ${ref.field}`);
        else if (tableNames.indexOf(ref.table) > t) problems.push(`${at}.references.${r}.table: list ${ref.table} before ${table.name} so it is loaded first`);
      });
    });
  });
  const canonical = config.sources.find((s) => s.name === 'raw');
  for (const [table, mapping] of Object.entries(config.column_mappings)) {
    const target = canonical?.tables.find((t) => t.name === table);
    if (!target) {
      problems.push(`column_mappings.${table}: not a canonical table (${canonical?.tables.map((t) => t.name).join(', ') ?? 'none'})`);
      continue;
    }
    for (const [header, column] of Object.entries(mapping)) {
      if (!target.columns.some((c) => c.name === column)) {
        problems.push(`column_mappings.${table}.${header}: ${column} is not a column of ${table} (${target.columns.map((c) => c.name).join(', ')})`);
      }
    }
  }
  if (problems.length > 0) throw new ConfigError(file, problems);
}
