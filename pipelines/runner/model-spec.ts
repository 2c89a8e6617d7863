import { z } from 'zod';

/**
 * The schema of the `.yml` beside each model, in dbt's shape so analysts who know dbt feel at home:
 *
 *   models:
 *     - name: stg_orders
 *       description: ...
 *       config: { materialized: view }
 *       columns:
 *         - name: order_id
 *           tests: [unique, not_null]
 *       tests:
 *         - expression_is_true: { expression: "amount_cny >= 0" }
 */
const acceptedValuesSchema = z.strictObject({
  accepted_values: z.strictObject({
    values: z.array(z.union([z.string(), z.number(), z.boolean()])).min(1),
  }),
});
const relationshipsSchema = z.strictObject({
  relationships: z.strictObject({
    to: z.string().regex(/^\s*ref\(\s*['"][\w]+['"]\s*\)\s*$/, "write the target as ref('model')"),
    field: z.string().min(1),
  }),
});
const expressionSchema = z.strictObject({
  expression_is_true: z.strictObject({ expression: z.string().min(1) }),
});
const uniqueCombinationSchema = z.strictObject({
  unique_combination_of_columns: z.strictObject({ combination_of_columns: z.array(z.string()).min(1) }),
});

const columnTestSchema = z.union([
  z.literal('unique'),
  z.literal('not_null'),
  acceptedValuesSchema,
  relationshipsSchema,
  expressionSchema,
]);
const modelTestSchema = z.union([expressionSchema, uniqueCombinationSchema]);

const columnSchema = z.strictObject({
  name: z.string().min(1),
  description: z.string().min(1),
  tests: z.array(columnTestSchema).optional(),
});

/**
 * view and table are relations in the warehouse; an ephemeral model is none: its SQL is inlined as a subquery
 * wherever it is ref'd (as in dbt), e.g. because DuckDB drops a CTE's NOT MATERIALIZED hint when it stores a view.
 */
export const materializations = ['view', 'table', 'ephemeral'] as const;
export type Materialization = (typeof materializations)[number];

const modelSchema = z.strictObject({
  name: z.string().regex(/^[a-z][a-z0-9_]*$/, 'model names are lower_snake_case'),
  description: z.string().min(1),
  config: z.strictObject({ materialized: z.enum(materializations) }).optional(),
  columns: z.array(columnSchema).min(1),
  tests: z.array(modelTestSchema).optional(),
});

export const modelFileSchema = z.strictObject({
  version: z.literal(1).optional(),
  models: z.array(modelSchema).length(1, 'one model per .yml, named like the .sql beside it'),
});

export type ColumnTestSpec = z.infer<typeof columnTestSchema>;
export type ModelTestSpec = z.infer<typeof modelTestSchema>;
export type ColumnSpec = z.infer<typeof columnSchema>;
export type ModelSpec = z.infer<typeof modelSchema>;
