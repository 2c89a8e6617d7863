import { z } from 'zod';
import { readYamlFile } from './yaml-file.ts';
import { ConfigError, parseConfig } from './zod-errors.ts';

/**
 * models/segmentation.yml: the tiering rules analysts edit. The values reach SQL as data (config_* tables),
 * never pasted into SQL text, so a rule change never needs a SQL edit.
 */
const isoDate = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'write a date as YYYY-MM-DD').refine((s) => !Number.isNaN(Date.parse(s)), 'not a real date');

const valueTierSchema = z.strictObject({
  name: z.string().min(1),
  label_zh: z.string().min(1),
  min_revenue_cny: z.number().min(0),
});

const scoreRange = z.tuple([z.number().int().min(1), z.number().int().min(1)]);

const rfmSegmentSchema = z.strictObject({
  name: z.string().min(1),
  label_zh: z.string().min(1),
  recency: scoreRange,
  frequency: scoreRange,
  monetary: scoreRange,
});

export const segmentationSchema = z.strictObject({
  version: z.literal(1),
  as_of_date: z.union([z.literal('latest'), isoDate]).default('latest'),
  value_tiers: z.strictObject({
    window_months: z.number().int().min(1).max(60).default(12),
    tiers: z.array(valueTierSchema).min(2),
  }),
  rfm: z.strictObject({
    bins: z.number().int().min(2).max(10).default(5),
    other_segment: z.strictObject({ name: z.string().min(1), label_zh: z.string().min(1) }).default({ name: 'Others', label_zh: '其他' }),
    segments: z.array(rfmSegmentSchema).min(1),
  }),
});

export type SegmentationConfig = z.output<typeof segmentationSchema>;
export type RfmSegmentRule = z.output<typeof rfmSegmentSchema>;

export function loadSegmentationConfig(file: string): Readonly<SegmentationConfig> {
  return checkSegmentation(parseConfig(segmentationSchema, readYamlFile(file), file), file);
}

/** Checks what the schema alone cannot: tier order, score ranges within the bins, rules that can never match. */
export function checkSegmentation(config: Readonly<SegmentationConfig>, file: string): Readonly<SegmentationConfig> {
  const problems: string[] = [];
  const tiers = config.value_tiers.tiers;
  tiers.forEach((tier, i) => {
    const next = tiers[i + 1];
    if (next && next.min_revenue_cny >= tier.min_revenue_cny) {
      problems.push(`value_tiers.tiers.${i + 1}.min_revenue_cny: list tiers from the top down with falling minimums (${next.name} ${next.min_revenue_cny} is not below ${tier.name} ${tier.min_revenue_cny})`);
    }
    if (tiers.findIndex((t) => t.name === tier.name) !== i) problems.push(`value_tiers.tiers.${i}.name: ${tier.name} is listed twice`);
  });
  const last = tiers[tiers.length - 1];
  if (last && last.min_revenue_cny !== 0) problems.push(`value_tiers.tiers.${tiers.length - 1}.min_revenue_cny: the last tier must start at 0 so every buyer has a tier (got ${last.min_revenue_cny})`);

  const { bins, segments } = config.rfm;
  segments.forEach((segment, i) => {
    for (const score of ['recency', 'frequency', 'monetary'] as const) {
      const [low, high] = segment[score];
      if (low > high || high > bins) problems.push(`rfm.segments.${i}.${score}: [${low}, ${high}] must be a range within 1..${bins}`);
    }
    if (segments.findIndex((s) => s.name === segment.name) !== i) problems.push(`rfm.segments.${i}.name: ${segment.name} is listed twice`);
  });
  if (problems.length === 0) {
    for (const name of unreachableRfmSegments(segments, bins)) {
      problems.push(`rfm.segments: ${name} can never be assigned — every score it covers is taken by a rule listed before it (first matching rule wins)`);
    }
  }
  if (problems.length > 0) throw new ConfigError(file, problems);
  return config;
}

/** Segments that no (R, F, M) score combination reaches when the first matching rule wins. */
export function unreachableRfmSegments(segments: readonly RfmSegmentRule[], bins: number): string[] {
  const reached = new Set<string>();
  const within = (score: number, [low, high]: readonly [number, number]) => score >= low && score <= high;
  for (let r = 1; r <= bins; r++) {
    for (let f = 1; f <= bins; f++) {
      for (let m = 1; m <= bins; m++) {
        const first = segments.find((s) => within(r, s.recency) && within(f, s.frequency) && within(m, s.monetary));
        if (first) reached.add(first.name);
      }
    }
  }
  return segments.filter((s) => !reached.has(s.name)).map((s) => s.name);
}
