/** One customer's calibration summary (see models/intermediate/int_customers_clv_summarized.sql). */
export interface CustomerSummary {
  readonly customerId: string;
  /** Repeat purchase days in the calibration period (the first purchase day is not a repeat). */
  readonly frequency: number;
  /** Time from the first to the last purchase day, in the time unit. */
  readonly recency: number;
  /** Time from the first purchase day to the calibration end, in the time unit. */
  readonly T: number;
  /** Mean value of the repeat purchase days; null without a repeat purchase. */
  readonly monetary: number | null;
}

/** Customers with identical (frequency, recency, T) share one likelihood term; `count` of them. */
export interface CompressedRow {
  readonly x: number;
  readonly tx: number;
  readonly T: number;
  readonly count: number;
}

export interface FitReport<P> {
  readonly params: P;
  /** Sum over customers of the log-likelihood at the optimum (not a mean). */
  readonly logLikelihood: number;
  readonly converged: boolean;
  readonly iterations: number;
  readonly customers: number;
  readonly method: string;
}

export type TimeUnit = 'day' | 'week' | 'month';

/** Days in one time unit: weeks are days / 7, months are days / (365.25 / 12). */
export const UNIT_DAYS: Readonly<Record<TimeUnit, number>> = Object.freeze({ day: 1, week: 7, month: 365.25 / 12 });

/** Groups identical (frequency, recency, T) rows so the likelihood is evaluated once per distinct triple. */
export function compress(rows: Iterable<Pick<CustomerSummary, 'frequency' | 'recency' | 'T'>>): CompressedRow[] {
  const groups = new Map<string, { x: number; tx: number; T: number; count: number }>();
  for (const row of rows) {
    const key = `${row.frequency}|${row.recency}|${row.T}`;
    const group = groups.get(key);
    if (group) group.count++;
    else groups.set(key, { x: row.frequency, tx: row.recency, T: row.T, count: 1 });
  }
  return [...groups.values()];
}
