import { z } from 'zod';

export interface GenerateOptions {
  readonly customers: number;
  readonly months: number;
  readonly seed: number;
  readonly outDir: string;
  /** 'YYYY-MM', the last month of history. Fixed rather than "now" so a seed always gives the same bytes. */
  readonly endMonth: string;
  /** Called now and then with the number of data rows written so far. */
  readonly onProgress?: (rowsWritten: number) => void;
}

export const DEFAULT_GENERATE_OPTIONS: Readonly<Omit<GenerateOptions, 'onProgress'>> = Object.freeze({
  customers: 5000,
  months: 36,
  seed: 42,
  outDir: 'data/sample',
  endMonth: '2026-10',
});

/** Customer ids have 7 digits. */
export const MAX_CUSTOMERS = 9_999_999;
export const MAX_MONTHS = 600;

/** How each option is spelled on the command line and what it must be, for the error message. */
const RULES = {
  customers: ['--customers', `must be a positive integer no larger than ${MAX_CUSTOMERS}`],
  months: ['--months', `must be an integer from 1 to ${MAX_MONTHS}`],
  seed: ['--seed', 'must be an integer'],
  outDir: ['--out', 'must be a non-empty path'],
  endMonth: ['--end-month', 'must be a month from 1900-01 to 9999-12 written YYYY-MM'],
  onProgress: ['onProgress', 'must be a function'],
} as const satisfies Record<keyof GenerateOptions, readonly [string, string]>;

const schema = z.object({
  customers: z.number().int().min(1).max(MAX_CUSTOMERS).default(DEFAULT_GENERATE_OPTIONS.customers),
  months: z.number().int().min(1).max(MAX_MONTHS).default(DEFAULT_GENERATE_OPTIONS.months),
  seed: z.number().int().default(DEFAULT_GENERATE_OPTIONS.seed),
  outDir: z.string().refine((path) => path.trim().length > 0).default(DEFAULT_GENERATE_OPTIONS.outDir),
  endMonth: z.string().regex(/^(19|[2-9]\d)\d\d-(0[1-9]|1[0-2])$/).default(DEFAULT_GENERATE_OPTIONS.endMonth),
  onProgress: z.custom<(rowsWritten: number) => void>((value) => typeof value === 'function').optional(),
});

function describe(value: unknown): string {
  if (typeof value === 'string') return JSON.stringify(value);
  if (typeof value === 'function') return 'a function';
  return String(value);
}

/**
 * Checks options and fills in defaults for missing ones (JavaScript callers may pass a partial object).
 * Throws an Error that names the first bad option as the user typed it, e.g.
 * "generate: --customers must be a positive integer no larger than 9999999 (got -3)".
 */
export function parseGenerateOptions(options: unknown): GenerateOptions {
  if (typeof options !== 'object' || options === null) throw new Error('generate: options must be an object');
  const result = schema.safeParse(options);
  if (result.success) return result.data;
  const issue = result.error.issues[0];
  const key = issue?.path[0];
  if (typeof key === 'string' && key in RULES) {
    const [flag, rule] = RULES[key as keyof typeof RULES];
    const got = (options as Record<string, unknown>)[key];
    throw new Error(`generate: ${flag} ${rule} (got ${describe(got)})`);
  }
  throw new Error(`generate: invalid options: ${issue?.message ?? 'unknown problem'}`);
}
