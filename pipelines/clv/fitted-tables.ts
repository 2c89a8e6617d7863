// Writes fitted models and per-history predictions into the warehouse, as the clv_fitted_* source tables.
import { BIGINT, DOUBLE, DuckDBDataChunk } from '@duckdb/node-api';
import type { Warehouse } from '../db/warehouse.ts';
import type { ClvFits, TriplePrediction } from './fit.ts';
import type { FitReport } from './types.ts';

export async function createFittedTables(warehouse: Warehouse): Promise<void> {
  await warehouse.exec(`
    create or replace table clv_fitted_models (
      split varchar not null,
      model varchar not null,
      parameter varchar,
      value double,
      log_likelihood double,
      customers bigint not null,
      converged boolean,
      iterations integer,
      method varchar not null,
      warning varchar,
      fitted_at timestamp not null
    );
    create or replace table clv_fitted_histories (
      split varchar not null,
      model varchar not null,
      frequency bigint not null,
      recency_units double not null,
      t_units double not null,
      p_alive double,
      expected_purchases_horizon double not null,
      discounted_purchases_horizon double not null,
      expected_purchases_holdout double
    );`);
}

interface ModelRow {
  readonly model: string;
  readonly report: FitReport<object> | null;
  readonly customers: number;
  readonly method: string;
  readonly warning: string | null;
}

/** One row per (model, parameter); a model without a fit (the historical fallback) has one row without parameters. */
export async function writeFittedModels(warehouse: Warehouse, split: string, models: readonly ModelRow[], fittedAt: Date): Promise<void> {
  const at = fittedAt.toISOString().replace('T', ' ').replace('Z', '');
  for (const { model, report, customers, method, warning } of models) {
    const parameters = report ? Object.entries(report.params as Record<string, number>) : [[null, null] as const];
    for (const [name, value] of parameters) {
      await warehouse.exec('insert into clv_fitted_models values ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11::timestamp)', [
        split, model, name, value, report?.logLikelihood ?? null, customers, report?.converged ?? null, report?.iterations ?? null, method, warning, at,
      ]);
    }
  }
}

export function modelRows(fits: ClvFits): ModelRow[] {
  const warning = fits.warnings.length > 0 ? fits.warnings.join('; ') : null;
  const rows: ModelRow[] = [];
  if (fits.bgnbd) rows.push({ model: 'bgnbd', report: fits.bgnbd, customers: fits.bgnbd.customers, method: fits.bgnbd.method, warning });
  if (fits.paretoNbd) rows.push({ model: 'pareto_nbd', report: fits.paretoNbd, customers: fits.paretoNbd.customers, method: fits.paretoNbd.method, warning });
  if (fits.gammaGamma) rows.push({ model: 'gamma_gamma', report: fits.gammaGamma, customers: fits.gammaGamma.customers, method: fits.gammaGamma.method, warning });
  return rows;
}

/** Bulk-appends the per-history predictions (one row per distinct frequency, recency, T), a vector at a time. */
export async function writeFittedHistories(warehouse: Warehouse, split: string, model: string, predictions: readonly TriplePrediction[]): Promise<void> {
  // the numbers go through a staging table and the two labels are added in SQL: a whole column per call instead of
  // one value per call, and no label text converted per row (both cost more than the fit)
  await warehouse.exec(`create or replace temp table _clv_histories_appended (
    frequency bigint, recency_units double, t_units double, p_alive double,
    expected_purchases_horizon double, discounted_purchases_horizon double, expected_purchases_holdout double)`);
  const appender = await warehouse.connection.createAppender('_clv_histories_appended', 'main', 'temp');
  for (let start = 0; start < predictions.length; start += CHUNK_ROWS) {
    const rows = predictions.slice(start, start + CHUNK_ROWS);
    const chunk = DuckDBDataChunk.create(APPENDED_COLUMN_TYPES, rows.length);
    chunk.setColumns([
      rows.map((p) => BigInt(p.x)),
      rows.map((p) => p.tx),
      rows.map((p) => p.T),
      rows.map((p) => p.pAlive),
      rows.map((p) => p.expectedPurchasesHorizon),
      rows.map((p) => p.discountedPurchasesHorizon),
      rows.map((p) => p.expectedPurchasesHoldout),
    ]);
    appender.appendDataChunk(chunk);
  }
  appender.closeSync();
  await warehouse.exec('insert into clv_fitted_histories select $1, $2, * from _clv_histories_appended', [split, model]);
  await warehouse.exec('drop table _clv_histories_appended');
}

/** DuckDB's vector size: the most rows a data chunk holds. */
const CHUNK_ROWS = 2048;

const APPENDED_COLUMN_TYPES = [BIGINT, DOUBLE, DOUBLE, DOUBLE, DOUBLE, DOUBLE, DOUBLE];
