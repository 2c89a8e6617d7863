// Fits one split of the calibration summary in the warehouse and writes the fits and predictions back.
import type { Warehouse } from '../db/warehouse.ts';
import { fitClvModels, InsufficientDataError, predictTriples, type ClvFits } from './fit.ts';
import { createFittedTables, modelRows, writeFittedHistories, writeFittedModels } from './fitted-tables.ts';
import { readCalibrationData, type SplitFacts } from './warehouse-io.ts';
import { UNIT_DAYS, type TimeUnit } from './types.ts';

export interface SplitFitOptions {
  readonly timeUnit: TimeUnit;
  readonly horizonMonths: number;
  readonly monthlyDiscountRate: number;
  readonly minRepeatBuyers: number;
  readonly paretoNbd: boolean;
  /** Fit Gamma-Gamma and predict over the horizon (CLV); without it only the holdout is predicted. */
  readonly clv: boolean;
  /** Fit on at most about this many customers (a fixed hash sample), predict for all. */
  readonly maxFitCustomers?: number;
  /** The relation holding the summary model's rows (a build reads it under its building name). */
  readonly summaryRelation?: string;
}

export interface SplitFitResult {
  readonly split: string;
  readonly facts: SplitFacts | null;
  /** Null when the data could not support a fit (historical CLV was written instead). */
  readonly fits: ClvFits | null;
  readonly warnings: readonly string[];
  /** Seconds spent reading the summary, fitting, predicting and writing (for the benchmark). */
  readonly seconds: { readonly read: number; readonly fit: number; readonly predict: number; readonly write: number };
}

const since = (start: number) => Number(((performance.now() - start) / 1000).toFixed(3));

/**
 * Fits the models on `split` and writes clv_fitted_models / clv_fitted_histories rows for it. When the data
 * cannot support a fit, writes the historical fallback (the customer's own repeat rate) with the reason.
 */
export async function fitSplit(warehouse: Warehouse, split: string, options: SplitFitOptions, fittedAt = new Date()): Promise<SplitFitResult> {
  let started = performance.now();
  const data = await readCalibrationData(warehouse, split, options.maxFitCustomers, options.summaryRelation);
  const read = since(started);
  started = performance.now();
  const horizon = {
    unitsPerMonth: UNIT_DAYS.month / UNIT_DAYS[options.timeUnit],
    months: options.clv ? options.horizonMonths : 0,
    monthlyDiscountRate: options.monthlyDiscountRate,
    holdoutUnits: data.facts?.holdoutLengthUnits ?? 0,
  };
  const customers = data.rows.reduce((sum, row) => sum + row.count, 0);
  let fits: ClvFits | null = null;
  let failure: string | null = null;
  try {
    fits = fitClvModels(data.sample ?? data, { minRepeatBuyers: options.minRepeatBuyers, paretoNbd: options.paretoNbd, gammaGamma: options.clv });
  } catch (error) {
    if (!(error instanceof InsufficientDataError)) throw error;
    failure = `${error.message}; CLV falls back to historical purchase rates and values`;
  }
  if (fits && data.sample) {
    const sampled = data.sample.rows.reduce((sum, row) => sum + row.count, 0);
    fits = { ...fits, warnings: [...fits.warnings, `fitted on a fixed hash sample of ${sampled} of ${customers} customers (max_fit_customers); predicted for all`] };
  }
  const fit = since(started);
  started = performance.now();
  const model = fits ? 'bgnbd' : 'historical';
  const predictions = predictTriples(fits?.bgnbd?.params ?? null, data.rows, horizon);
  const predict = since(started);
  started = performance.now();
  if (fits) {
    await writeFittedModels(warehouse, split, modelRows(fits), fittedAt);
  } else {
    await writeFittedModels(warehouse, split, [{ model, report: null, customers, method: 'historical repeat rate', warning: failure }], fittedAt);
  }
  await writeFittedHistories(warehouse, split, model, predictions);
  const seconds = { read, fit, predict, write: since(started) };
  return { split, facts: data.facts, fits, warnings: fits ? fits.warnings : failure ? [failure] : [], seconds };
}

export { createFittedTables };
