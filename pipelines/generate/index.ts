import { mkdir } from 'node:fs/promises';
import { resolve } from 'node:path';
import { performance } from 'node:perf_hooks';
import { simulateActivities } from './activities.ts';
import { buildCalendar } from './calendar.ts';
import { buildCustomer, customerHeader, type World } from './customers.ts';
import { parseGenerateOptions, type GenerateOptions } from './options.ts';
import { simulateOrders } from './orders.ts';
import { Rng, Stream } from './rng.ts';
import { SampleSink, type GeneratedFile } from './sink.ts';
import { simulateSurveys } from './surveys.ts';
import { simulateTickets } from './tickets.ts';

export { DEFAULT_GENERATE_OPTIONS, parseGenerateOptions, type GenerateOptions } from './options.ts';
export type { GeneratedFile } from './sink.ts';
export { TABLE_COLUMNS, TABLE_NAMES } from './catalog.ts';

export interface GenerateSummary {
  readonly outDir: string;
  readonly files: readonly GeneratedFile[];
  readonly seconds: number;
}

/** Report progress every this many customers. */
const PROGRESS_EVERY = 10_000;

/**
 * Writes a deterministic sample CRM export (customers, orders, activities, surveys, referrals, tickets)
 * to options.outDir. Customers are simulated one at a time from child seeds of (seed, index), and rows are
 * streamed to disk, so memory stays flat from a few hundred customers to millions, and the same options
 * always give byte-identical files.
 */
export async function generateSample(options: GenerateOptions): Promise<GenerateSummary> {
  const started = performance.now();
  const { customers, months, seed, endMonth, onProgress, ...rest } = parseGenerateOptions(options);
  const outDir = resolve(rest.outDir);
  await mkdir(outDir, { recursive: true });
  const calendar = buildCalendar(endMonth, months);
  const world: World = { seed, customers, calendar };

  const sink = new SampleSink(outDir, calendar);
  let files: GeneratedFile[];
  try {
    // one generator per purpose, re-seeded for each customer: a change to one sub-model (say activities)
    // leaves the others' output untouched
    const profileRng = new Rng(seed);
    const ordersRng = new Rng(seed);
    const ticketsRng = new Rng(seed);
    const activitiesRng = new Rng(seed);
    const surveysRng = new Rng(seed);
    for (let index = 0; index < customers; index++) {
      const header = customerHeader(world, index);
      const customer = buildCustomer(world, header, profileRng.reseed(seed, index, Stream.profile));
      const orders = simulateOrders(customer, calendar, ordersRng.reseed(seed, index, Stream.orders));
      const tickets = simulateTickets(orders, calendar, ticketsRng.reseed(seed, index, Stream.tickets));
      const activities = simulateActivities(customer, orders, calendar, activitiesRng.reseed(seed, index, Stream.activities));
      const surveys = simulateSurveys(customer, orders, tickets, calendar, surveysRng.reseed(seed, index, Stream.surveys));
      sink.write(customer, orders, activities, surveys, tickets);
      if (sink.wantsFlush) await sink.flush();
      if (onProgress && (index + 1) % PROGRESS_EVERY === 0) onProgress(sink.rowsWritten);
    }
    files = await sink.close();
  } catch (error) {
    await sink.abort();
    throw error;
  }
  onProgress?.(files.reduce((sum, file) => sum + file.rows, 0));
  return { outDir, files, seconds: (performance.now() - started) / 1000 };
}
