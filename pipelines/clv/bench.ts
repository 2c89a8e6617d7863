// `npm run bench:clv`: times the CLV pipeline (calibration summary in SQL, BG/NBD + Gamma-Gamma fits, predictions)
// on a synthetic order log; 1,000,000 orders of 100,000 customers by default. A benchmark, not a test.
import { Warehouse } from '../db/warehouse.ts';
import { readProject } from '../pipeline/steps.ts';
import { buildModels } from '../runner/build.ts';
import { createFittedTables, fitSplit } from './fit-split.ts';
import { SUMMARY_MODEL, writeClvParameters } from './warehouse-io.ts';
import { loadClvSettings } from './settings.ts';
import { PROJECT_PATHS } from '../project-paths.ts';

const settings = loadClvSettings(PROJECT_PATHS.clvConfig);
const seconds = (start: number) => Number(((performance.now() - start) / 1000).toFixed(3));

export interface ClvBenchResult {
  readonly customers: number;
  readonly orders: number;
  readonly distinct_histories: number;
  readonly fit_customers: number;
  readonly summary_seconds: number;
  readonly fit_and_predict_seconds: number;
  readonly read_seconds: number;
  readonly fit_seconds: number;
  readonly predict_seconds: number;
  readonly write_seconds: number;
  readonly bgnbd_iterations: number;
  readonly gamma_gamma_iterations: number;
  readonly peak_rss_mib: number;
}

/**
 * Orders: each customer's first day uniform over two years, then about 9 more orders (geometric) spread over
 * the time left, amounts lognormal-ish; weeks as the unit, calibration to the last day; the fit sample and the
 * horizon as in models/clv.yml (max_fit_customers).
 */
export async function runClvBenchmark(customers = 100_000, ordersPerCustomer = 10): Promise<ClvBenchResult> {
  const warehouse = await Warehouse.open(':memory:');
  try {
    await warehouse.exec(`select setseed(0.42)`);
    await warehouse.exec(`
      create table stg_orders as
      with people as (
          select
              i as n,
              date '2023-01-01' + cast(floor(random() * 730) as integer) as first_day,
              cast(floor(-ln(1 - random()) * ${ordersPerCustomer - 1}) as integer) as repeats,
          from range(${customers}) t(i)
      ),
      orders as (
          select n, first_day as order_date from people
          union all
          select n, first_day + cast(floor(random() * (date '2024-12-31' - first_day + 1)) as integer)
          from (select n, first_day, unnest(range(repeats)) from people)
      )
      select
          hash(n) as customer_key,
          'C' || n as customer_id,
          order_date,
          round(exp(3 + random() * 2), 2) as amount_cny,
          true as is_revenue,
      from orders`);
    const [{ orders } = { orders: 0 }] = await warehouse.rows<{ orders: number }>('select count(*)::double as orders from stg_orders');
    await writeClvParameters(warehouse, [{ split: 'bench', timeUnit: 'week', calibrationEndDate: null, holdoutMonths: 0, holdoutEndDate: null }]);
    let started = performance.now();
    await buildModels(warehouse, readProject(), [SUMMARY_MODEL]);
    const summarySeconds = seconds(started);
    started = performance.now();
    await createFittedTables(warehouse);
    const result = await fitSplit(warehouse, 'bench', {
      timeUnit: 'week', horizonMonths: settings.horizon_months, monthlyDiscountRate: settings.monthly_discount_rate,
      minRepeatBuyers: settings.min_repeat_buyers, paretoNbd: false, clv: true, maxFitCustomers: settings.max_fit_customers,
    });
    const fitSeconds = seconds(started);
    const [{ histories } = { histories: 0 }] = await warehouse.rows<{ histories: number }>('select count(*)::double as histories from clv_fitted_histories');
    return {
      customers,
      orders,
      distinct_histories: histories,
      fit_customers: result.fits?.customers ?? 0,
      summary_seconds: summarySeconds,
      fit_and_predict_seconds: fitSeconds,
      read_seconds: result.seconds.read,
      fit_seconds: result.seconds.fit,
      predict_seconds: result.seconds.predict,
      write_seconds: result.seconds.write,
      bgnbd_iterations: result.fits?.bgnbd?.iterations ?? 0,
      gamma_gamma_iterations: result.fits?.gammaGamma?.iterations ?? 0,
      peak_rss_mib: Math.round(process.resourceUsage().maxRSS / 1024),
    };
  } finally {
    warehouse.close();
  }
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const customers = Number(process.argv[2] ?? 100_000);
  console.log(JSON.stringify(await runClvBenchmark(customers), null, 2));
}
