// `crm-tiers clv`: fits the CLV models on one file (a CDNOW file or any order log) in a scratch in-memory DuckDB.
import { withWarehouse, type Warehouse } from '../db/warehouse.ts';
import { DEFAULT_PROJECT, loadStep, readProject, type ReadOptions } from '../pipeline/steps.ts';
import { selectModels } from '../runner/select.ts';
import { buildModels } from '../runner/build.ts';
import { CDNOW_CALIBRATION_END, loadCdnowOrders } from '../clv/cdnow.ts';
import { createFittedTables, fitSplit } from '../clv/fit-split.ts';
import { SUMMARY_MODEL, writeClvParameters } from '../clv/warehouse-io.ts';
import { loadClvSettings } from '../clv/settings.ts';
import type { TimeUnit } from '../clv/types.ts';

export interface ClvCommandOptions {
  readonly input: string;
  readonly format: 'cdnow' | 'orders';
  /** Default: 1997-09-30 for CDNOW, the last purchase day for an order log. */
  readonly calibrationEnd?: string;
  /** Default: the last purchase day. */
  readonly holdoutEnd?: string;
  /** Default: week. */
  readonly timeUnit?: TimeUnit;
  readonly read?: ReadOptions;
  readonly log?: (line: string) => void;
}

export interface ModelJson {
  readonly [parameter: string]: number | boolean | string | null;
}

export interface HoldoutRow {
  readonly calibration_frequency: string;
  readonly customers: number;
  readonly actual_purchases: number;
  readonly predicted_purchases: number;
}

export interface ClvCommandResult {
  readonly input: string;
  readonly format: 'cdnow' | 'orders';
  readonly time_unit: TimeUnit;
  readonly calibration_end_date: string | null;
  readonly holdout_end_date: string | null;
  readonly customers: number;
  readonly repeat_buyers: number;
  readonly models: Readonly<Record<string, ModelJson>>;
  readonly holdout_check: readonly HoldoutRow[];
  readonly warnings: readonly string[];
}

const SPLIT = 'cli';

export async function clvCommand(options: ClvCommandOptions): Promise<ClvCommandResult> {
  const settings = loadClvSettings(DEFAULT_PROJECT.clvConfig ?? '');
  const timeUnit = options.timeUnit ?? 'week';
  return withWarehouse(':memory:', {}, async (warehouse) => {
    const project = readProject(DEFAULT_PROJECT);
    if (options.format === 'cdnow') {
      await loadCdnowOrders(warehouse, options.input, 'stg_orders');
    } else {
      // the order-log reader of `crm-tiers load`: recognised columns, formats, currencies, quarantine
      await loadStep(warehouse, options.input, DEFAULT_PROJECT, options.log, options.read);
      await buildModels(warehouse, project, selectModels(project, ['+stg_orders', 'stg_customers']));
    }
    const calibrationEnd = options.calibrationEnd ?? (options.format === 'cdnow' ? CDNOW_CALIBRATION_END : null);
    await writeClvParameters(warehouse, [{ split: SPLIT, timeUnit, calibrationEndDate: calibrationEnd, holdoutMonths: 0, holdoutEndDate: options.holdoutEnd ?? null }]);
    await buildModels(warehouse, project, [SUMMARY_MODEL]);
    await createFittedTables(warehouse);
    const result = await fitSplit(warehouse, SPLIT, {
      timeUnit,
      horizonMonths: settings.horizon_months,
      monthlyDiscountRate: settings.monthly_discount_rate,
      minRepeatBuyers: settings.min_repeat_buyers,
      paretoNbd: true,
      clv: true,
    });
    const models: Record<string, ModelJson> = {};
    for (const [name, report] of Object.entries({ bgnbd: result.fits?.bgnbd, pareto_nbd: result.fits?.paretoNbd, gamma_gamma: result.fits?.gammaGamma })) {
      if (!report) continue;
      models[name] = {
        ...report.params,
        log_likelihood: report.logLikelihood,
        customers: report.customers,
        converged: report.converged,
        iterations: report.iterations,
        method: report.method,
      };
    }
    return {
      input: options.input,
      format: options.format,
      time_unit: timeUnit,
      calibration_end_date: result.facts?.calibrationEndDate ?? null,
      holdout_end_date: result.facts?.holdoutEndDate ?? null,
      customers: result.facts?.customers ?? 0,
      repeat_buyers: result.fits?.repeatBuyers ?? 0,
      models,
      holdout_check: (result.facts?.holdoutLengthUnits ?? 0) > 0 ? await holdoutCheck(warehouse) : [],
      warnings: result.warnings,
    };
  });
}

/** Actual vs predicted holdout purchase days, per calibration frequency 0..6 and 7+, and overall. */
async function holdoutCheck(warehouse: Warehouse): Promise<HoldoutRow[]> {
  return warehouse.rows<HoldoutRow>(`
    with joined as (
        select least(s.frequency, 7) as frequency_band, s.holdout_purchase_days, h.expected_purchases_holdout
        from ${SUMMARY_MODEL} s
        join clv_fitted_histories h
          on h.split = s.split and h.frequency = s.frequency and h.recency_units = s.recency_units and h.t_units = s.t_units
        where s.split = '${SPLIT}'
    )
    select
        case when grouping(frequency_band) = 1 then 'all' when frequency_band = 7 then '7+' else cast(frequency_band as varchar) end as calibration_frequency,
        count(*)::double as customers,
        sum(holdout_purchase_days)::double as actual_purchases,
        round(fsum(expected_purchases_holdout), 6) as predicted_purchases,
    from joined
    group by grouping sets ((frequency_band), ())
    order by frequency_band nulls last`);
}
