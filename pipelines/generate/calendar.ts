/**
 * The history window as a run of day numbers 0..days-1, with precomputed date strings and the
 * seasonal demand curve. Day numbers keep the simulation in plain arithmetic; all calendar math is in UTC
 * so neither the machine's time zone nor its locale can change the output.
 */
export interface Calendar {
  /** First month of history, 'YYYY-MM'. */
  readonly startMonth: string;
  readonly endMonth: string;
  /** Number of days in the window (the last day is days - 1). */
  readonly days: number;
  /** Days in the first month: the existing customer base is created then. */
  readonly firstMonthDays: number;
  /** 'YYYY-MM-DD' for each day of the window. */
  readonly dates: readonly string[];
  /** Relative demand on each day; averages 1 over the window. */
  readonly seasonality: Float64Array;
  /** Largest value of seasonality, the bound for thinning a Poisson process. */
  readonly maxSeasonality: number;
}

const MS_PER_DAY = 86_400_000;

/**
 * Chinese New Year (month, day) by year. Demand drops around the holiday, and the holiday moves between
 * late January and mid February, so a fixed month would put the dip in the wrong weeks.
 */
const CHINESE_NEW_YEAR: Readonly<Record<number, readonly [number, number]>> = {
  2010: [2, 14], 2011: [2, 3], 2012: [1, 23], 2013: [2, 10], 2014: [1, 31], 2015: [2, 19], 2016: [2, 8],
  2017: [1, 28], 2018: [2, 16], 2019: [2, 5], 2020: [1, 25], 2021: [2, 12], 2022: [2, 1], 2023: [1, 22],
  2024: [2, 10], 2025: [1, 29], 2026: [2, 17], 2027: [2, 6], 2028: [1, 26], 2029: [2, 13], 2030: [2, 3],
  2031: [1, 23], 2032: [2, 11], 2033: [1, 31], 2034: [2, 19], 2035: [2, 8], 2036: [1, 28], 2037: [2, 15],
  2038: [2, 4], 2039: [1, 24], 2040: [2, 12],
};
/** Outside the table the holiday is assumed to fall around its average date. */
const DEFAULT_NEW_YEAR: readonly [number, number] = [2, 1];

/** Month-level demand: Jan/Feb slow, June (618) and Nov/Dec (Double 11, year-end budgets) busy. */
const MONTH_FACTOR = [0.85, 0.8, 1.0, 1.0, 1.0, 1.2, 0.95, 0.95, 1.05, 0.95, 1.25, 1.2] as const;

export function parseMonth(month: string): { year: number; month: number } {
  const match = /^(\d{4})-(\d{2})$/.exec(month);
  if (!match) throw new Error(`not a YYYY-MM month: ${month}`);
  return { year: Number(match[1]), month: Number(match[2]) };
}

function formatMonth(year: number, month: number): string {
  return `${String(year).padStart(4, '0')}-${String(month).padStart(2, '0')}`;
}

export function buildCalendar(endMonth: string, months: number): Calendar {
  const end = parseMonth(endMonth);
  // months counted back from the end month; Date.UTC normalises month overflow/underflow
  const startMs = Date.UTC(end.year, end.month - months, 1);
  const afterEndMs = Date.UTC(end.year, end.month, 1);
  const days = Math.round((afterEndMs - startMs) / MS_PER_DAY);
  const start = new Date(startMs);
  const firstMonthDays = Math.round(
    (Date.UTC(start.getUTCFullYear(), start.getUTCMonth() + 1, 1) - startMs) / MS_PER_DAY,
  );

  const dates: string[] = new Array<string>(days);
  const seasonality = new Float64Array(days);
  const newYearDays = new Map<number, number>();
  for (let t = 0; t < days; t++) {
    const date = new Date(startMs + t * MS_PER_DAY);
    const year = date.getUTCFullYear();
    const month = date.getUTCMonth() + 1;
    const day = date.getUTCDate();
    dates[t] = date.toISOString().slice(0, 10);

    let factor = MONTH_FACTOR[month - 1] as number;
    if (month === 6 && day <= 18) factor *= 1.25; // 618 shopping festival
    if (month === 11 && day <= 11) factor *= 1.3; // Double 11
    if (month === 10 && day <= 7) factor *= 0.75; // National Day golden week
    let newYear = newYearDays.get(year);
    if (newYear === undefined) {
      const [m, d] = CHINESE_NEW_YEAR[year] ?? DEFAULT_NEW_YEAR;
      newYear = Math.round(Date.UTC(year, m - 1, d) / MS_PER_DAY);
      newYearDays.set(year, newYear);
    }
    const fromNewYear = Math.round((startMs + t * MS_PER_DAY) / MS_PER_DAY) - newYear;
    if (fromNewYear >= -10 && fromNewYear <= 12) factor *= 0.45; // Spring Festival: offices and shops closed
    seasonality[t] = factor;
  }

  // Normalise so a purchase rate keeps its meaning (orders per day on average) whatever the window.
  let sum = 0;
  for (let t = 0; t < days; t++) sum += seasonality[t] as number;
  const mean = sum / days;
  let max = 0;
  for (let t = 0; t < days; t++) {
    const value = (seasonality[t] as number) / mean;
    seasonality[t] = value;
    if (value > max) max = value;
  }

  return {
    startMonth: formatMonth(start.getUTCFullYear(), start.getUTCMonth() + 1),
    endMonth,
    days,
    firstMonthDays,
    dates,
    seasonality,
    maxSeasonality: max,
  };
}
