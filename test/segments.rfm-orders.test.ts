// The R rfm package's example data (rfm_data_orders, 4,906 orders of 995 customers) segmented as of 2006-12-31 by
// `crm-tiers segment`, checked against RFM scores and segments worked out here from first principles: the
// package's rfm_table_order breakpoints (type-7 quantiles + 1, a value scoring past every breakpoint it reaches)
// and the shipped rule table of models/segmentation.yml, first matching rule winning.
import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { segmentCommand } from '../pipelines/commands/segment.ts';
import { readYamlFile } from '../pipelines/config/yaml-file.ts';
import { PROJECT_PATHS, REPO_ROOT } from '../pipelines/project-paths.ts';

const DATA = join(REPO_ROOT, '..', 'shared', 'datasets', 'rfm-orders', 'rfm_data_orders.csv');
const ANALYSIS_DATE = Date.UTC(2006, 11, 31);
const BINS = 5;

/** Splits one CSV line, honouring double quotes. */
function csvFields(line: string): string[] {
  const fields: string[] = [];
  let field = '';
  let quoted = false;
  for (let i = 0; i < line.length; i++) {
    const c = line[i]!;
    if (quoted) {
      if (c === '"' && line[i + 1] === '"') { field += '"'; i++; } else if (c === '"') quoted = false; else field += c;
    } else if (c === '"') quoted = true;
    else if (c === ',') { fields.push(field); field = ''; } else field += c;
  }
  fields.push(field);
  return fields;
}

/** R's quantile(x, p, type = 7) exactly as stats:::quantile.default computes it. */
function quantileType7(sorted: readonly number[], p: number): number {
  const index = 1 + (sorted.length - 1) * p;
  const lo = Math.floor(index);
  const hi = Math.ceil(index);
  const low = sorted[lo - 1]!;
  const high = sorted[hi - 1]!;
  if (index > lo && high !== low) {
    const h = index - lo;
    return (1 - h) * low + h * high;
  }
  return low;
}

/** rfm's bins(): the interior quantiles at seq(0, 1, length.out = bins + 1), plus 1. */
function breakpoints(values: readonly number[]): number[] {
  const sorted = [...values].sort((a, b) => a - b);
  return Array.from({ length: BINS - 1 }, (_, i) => quantileType7(sorted, (i + 1) * (1 / BINS)) + 1);
}

interface Rule { name: string; recency: [number, number]; frequency: [number, number]; monetary: [number, number] }

function expectedSegments() {
  const customers = new Map<string, { last: number; orders: number; revenue: number }>();
  const lines = readFileSync(DATA, 'utf8').split(/\r?\n/).filter((l) => l.length > 0).slice(1);
  for (const line of lines) {
    const [id, date, revenue] = csvFields(line) as [string, string, string];
    const day = Date.parse(`${date}T00:00:00Z`);
    const c = customers.get(id) ?? { last: -Infinity, orders: 0, revenue: 0 };
    customers.set(id, { last: Math.max(c.last, day), orders: c.orders + 1, revenue: c.revenue + Number(revenue) });
  }
  const rows = [...customers.values()].map((c) => ({ ...c, recency: (ANALYSIS_DATE - c.last) / 86_400_000 }));
  const rBreaks = breakpoints(rows.map((r) => r.recency));
  const fBreaks = breakpoints(rows.map((r) => r.orders));
  const mBreaks = breakpoints(rows.map((r) => r.revenue));
  const passed = (breaks: number[], x: number) => breaks.filter((b) => b <= x).length;

  const config = readYamlFile(PROJECT_PATHS.segmentationConfig) as { rfm: { segments: Rule[]; other_segment: { name: string } } };
  const rules = config.rfm.segments;
  const totals = new Map<string, { customers: number; orders: number; revenue: number }>();
  for (const name of [...rules.map((r) => r.name), config.rfm.other_segment.name]) totals.set(name, { customers: 0, orders: 0, revenue: 0 });
  const inRange = (x: number, [low, high]: [number, number]) => x >= low && x <= high;
  for (const row of rows) {
    const r = BINS - passed(rBreaks, row.recency);
    const f = 1 + passed(fBreaks, row.orders);
    const m = 1 + passed(mBreaks, row.revenue);
    const rule = rules.find((s) => inRange(r, s.recency) && inRange(f, s.frequency) && inRange(m, s.monetary));
    const total = totals.get(rule?.name ?? config.rfm.other_segment.name)!;
    total.customers += 1;
    total.orders += row.orders;
    total.revenue += row.revenue;
  }
  return { customers: rows.length, orders: lines.length, totals };
}

describe('RFM on the rfm package example orders, analysis date 2006-12-31', () => {
  it('matches segment counts, orders and revenue computed from first principles', async () => {
    const expected = expectedSegments();
    expect(expected.customers).toBe(995);
    expect(expected.orders).toBe(4906);
    const result = await segmentCommand({ input: DATA, asOf: '2006-12-31', scheme: 'rfm' });
    const actual = new Map(result.segments.map((s) => [s.segment, s]));
    expect([...actual.keys()]).toEqual([...expected.totals.keys()]);
    for (const [name, total] of expected.totals) {
      const segment = actual.get(name)!;
      expect({ name, customers: segment.customers, orders: segment.orders }).toEqual({ name, customers: total.customers, orders: total.orders });
      expect(segment.revenue).toBeCloseTo(total.revenue, 2);
    }
    // every shipped segment is reached on this data, and the segments add up to the whole file
    expect(result.segments.filter((s) => s.customers === 0)).toEqual([]);
    expect(result.segments.reduce((sum, s) => sum + s.customers, 0)).toBe(995);
    expect(result.segments.reduce((sum, s) => sum + s.orders, 0)).toBe(4906);
  });
});
