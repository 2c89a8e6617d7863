// Fits the CLV models on one calibration summary and predicts per distinct (frequency, recency, T).
import { bgnbdExpectedPurchasesIfAlive, bgnbdProbabilityAlive, fitBgNbd, type BgNbdParams } from './bgnbd.ts';
import { fitGammaGamma, type GammaGammaParams, type SpendRow } from './gamma-gamma.ts';
import { fitParetoNbd, type ParetoNbdParams } from './pareto-nbd.ts';
import type { CompressedRow, FitReport } from './types.ts';

export interface CalibrationData {
  /** Customers compressed by identical (frequency, recency, T). */
  readonly rows: readonly CompressedRow[];
  /** Repeat buyers' (frequency, mean repeat-day value), value > 0. */
  readonly spend: readonly SpendRow[];
}

export interface ClvFits {
  readonly customers: number;
  readonly repeatBuyers: number;
  readonly bgnbd: FitReport<BgNbdParams> | null;
  readonly paretoNbd: FitReport<ParetoNbdParams> | null;
  readonly gammaGamma: FitReport<GammaGammaParams> | null;
  /** Why a model was not fitted or is not to be trusted; the caller shows these. */
  readonly warnings: readonly string[];
}

/** Raised when the data cannot support a fit. */
export class InsufficientDataError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'InsufficientDataError';
  }
}

export interface FitOptions {
  readonly minRepeatBuyers: number;
  readonly paretoNbd?: boolean;
  /** Default true. */
  readonly gammaGamma?: boolean;
}

/** Checks the data can identify the models: enough repeat buyers for the dropout and spend parameters. */
export function checkFitData(data: CalibrationData, minRepeatBuyers: number): void {
  const customers = data.rows.reduce((sum, row) => sum + row.count, 0);
  const repeatBuyers = data.rows.reduce((sum, row) => sum + (row.x > 0 ? row.count : 0), 0);
  if (customers === 0) throw new InsufficientDataError('no customer has a purchase in the calibration period');
  if (repeatBuyers < minRepeatBuyers) {
    throw new InsufficientDataError(`only ${repeatBuyers} of ${customers} customers bought again in the calibration period; the models need at least ${minRepeatBuyers} repeat buyers`);
  }
}

/** Fits BG/NBD and Gamma-Gamma (and Pareto/NBD when asked); throws InsufficientDataError when the data cannot support them. */
export function fitClvModels(data: CalibrationData, options: FitOptions): ClvFits {
  checkFitData(data, options.minRepeatBuyers);
  const warnings: string[] = [];
  const customers = data.rows.reduce((sum, row) => sum + row.count, 0);
  const repeatBuyers = data.rows.reduce((sum, row) => sum + (row.x > 0 ? row.count : 0), 0);
  const bgnbd = fitBgNbd(data.rows);
  if (!bgnbd.converged) warnings.push(`BG/NBD did not converge in ${bgnbd.iterations} iterations`);
  if (!Number.isFinite(bgnbd.logLikelihood)) throw new InsufficientDataError('BG/NBD log-likelihood is not finite at the optimum');
  const paretoNbd = options.paretoNbd ? fitParetoNbd(data.rows) : null;
  if (paretoNbd && !paretoNbd.converged) warnings.push(`Pareto/NBD did not converge in ${paretoNbd.iterations} iterations`);
  let gammaGamma: FitReport<GammaGammaParams> | null = null;
  if (options.gammaGamma === false) {
    // not needed (e.g. the validation split checks purchases only)
  } else if (data.spend.length >= options.minRepeatBuyers) {
    gammaGamma = fitGammaGamma(data.spend);
    if (!gammaGamma.converged) warnings.push(`Gamma-Gamma did not converge in ${gammaGamma.iterations} iterations`);
    if (gammaGamma.params.q <= 1) {
      warnings.push(`Gamma-Gamma q = ${gammaGamma.params.q.toFixed(3)} <= 1: the population mean spend is infinite; expected values use the customer's own mean`);
    }
  } else {
    warnings.push(`only ${data.spend.length} repeat buyers with a positive spend; no Gamma-Gamma fit, expected values are historical means`);
  }
  return { customers, repeatBuyers, bgnbd, paretoNbd, gammaGamma, warnings };
}

export interface Horizon {
  /** Time units in one month (e.g. 30.4375 / 7 for weeks). */
  readonly unitsPerMonth: number;
  readonly months: number;
  readonly monthlyDiscountRate: number;
  /** Extra window for the holdout check, in units (0: none). */
  readonly holdoutUnits: number;
}

export interface TriplePrediction {
  readonly x: number;
  readonly tx: number;
  readonly T: number;
  /** P(alive) at the calibration end; null for the historical fallback. */
  readonly pAlive: number | null;
  readonly expectedPurchasesHorizon: number;
  /** Σ over the horizon's months of expected purchases in month i / (1 + d)^i: CLV = this × expected value. */
  readonly discountedPurchasesHorizon: number;
  readonly expectedPurchasesHoldout: number | null;
}

/** Predictions for each distinct history; BG/NBD when fitted, the historical repeat rate otherwise. */
export function predictTriples(params: BgNbdParams | null, rows: readonly CompressedRow[], horizon: Horizon): TriplePrediction[] {
  // the month ends of the horizon, then the holdout length when there is one
  const ts = Array.from({ length: horizon.months }, (_, i) => (i + 1) * horizon.unitsPerMonth);
  if (horizon.holdoutUnits > 0) ts.push(horizon.holdoutUnits);
  // E[Y(t) | alive] depends on (x, T) only: many histories share it, and its 2F1 series are most of the cost
  const ifAlive = new Map<number, Map<number, number[]>>();
  return rows.map((row) => {
    const pAlive = params ? bgnbdProbabilityAlive(params, row.x, row.tx, row.T) : null;
    let expected: number[];
    if (params && pAlive !== null) {
      let byT = ifAlive.get(row.x);
      if (!byT) ifAlive.set(row.x, (byT = new Map()));
      let perT = byT.get(row.T);
      if (!perT) {
        perT = ts.map((t) => bgnbdExpectedPurchasesIfAlive(params, t, row.x, row.T));
        byT.set(row.T, perT);
      }
      expected = perT.map((value) => value * pAlive);
    } else {
      expected = ts.map((t) => (row.T > 0 ? (row.x / row.T) * t : 0));
    }
    let previous = 0;
    let discounted = 0;
    for (let month = 1; month <= horizon.months; month++) {
      const cumulative = expected[month - 1] as number;
      discounted += (cumulative - previous) / (1 + horizon.monthlyDiscountRate) ** month;
      previous = cumulative;
    }
    return {
      x: row.x,
      tx: row.tx,
      T: row.T,
      pAlive,
      expectedPurchasesHorizon: previous,
      discountedPurchasesHorizon: discounted,
      expectedPurchasesHoldout: horizon.holdoutUnits > 0 ? (expected[ts.length - 1] as number) : null,
    };
  });
}
