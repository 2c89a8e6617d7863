import type { Kysely } from 'kysely';
import { SCHEME_CODES, type SchemeKey } from '../config/segmentation.ts';
import type { WarehouseSchema } from '../db/schema.ts';

/** The schemes `crm-tiers export --scheme` knows: the segmentation schemes, and the CLV tiers of customer_clv. */
export type ExportScheme = SchemeKey | 'clv';
export const EXPORT_SCHEMES: readonly ExportScheme[] = Object.freeze([...(Object.keys(SCHEME_CODES) as SchemeKey[]), 'clv']);

/** One tier (segment) of a scheme, as segment_definitions lists it. */
export interface ExportTier {
  readonly scheme: ExportScheme;
  readonly scheme_label_en: string;
  readonly scheme_label_zh: string;
  readonly rank: number;
  readonly name: string;
  readonly name_zh: string;
}

export class UnknownTierError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'UnknownTierError';
  }
}

export function isExportScheme(value: string): value is ExportScheme {
  return (EXPORT_SCHEMES as readonly string[]).includes(value);
}

/** The tiers of a scheme in rank order (top tier first), from the warehouse. */
export async function listTiers(db: Kysely<WarehouseSchema>, scheme: ExportScheme): Promise<ExportTier[]> {
  const rows = await db.selectFrom('segment_definitions')
    .select(['scheme_label_en', 'scheme_label_zh', 'segment_rank', 'segment', 'segment_zh'])
    .where('scheme', '=', scheme)
    .orderBy('segment_rank')
    .execute();
  return rows.map((row) => ({
    scheme, scheme_label_en: row.scheme_label_en, scheme_label_zh: row.scheme_label_zh, rank: row.segment_rank, name: row.segment, name_zh: row.segment_zh,
  }));
}

/** Case, width, spaces, `_` and `-` do not matter: `won_back`, `Won Back` and `won-back` name the same stage. */
function normalise(text: string): string {
  return text.normalize('NFKC').toLowerCase().replace(/[\s_\-]+/g, '');
}

export function describeTiers(tiers: readonly ExportTier[]): string {
  return tiers.map((t) => (t.name_zh && t.name_zh !== t.name ? `${t.name} (${t.name_zh})` : t.name)).join(', ');
}

/**
 * The tier `given` names, by its English name or its Chinese label. An unknown tier is an error that lists the
 * scheme's tiers; a scheme switched off in the config has none, and says so.
 */
export function findTier(scheme: ExportScheme, tiers: readonly ExportTier[], given: string): ExportTier {
  if (tiers.length === 0) {
    throw new UnknownTierError(`scheme ${scheme} has no tiers: it is switched off (enabled: false) in the segmentation config the warehouse was built with`);
  }
  const wanted = normalise(given);
  const byName = tiers.filter((t) => normalise(t.name) === wanted);
  const matches = byName.length > 0 ? byName : tiers.filter((t) => normalise(t.name_zh) === wanted);
  if (matches.length === 1) return matches[0]!;
  if (matches.length > 1) {
    throw new UnknownTierError(`tier "${given}" of scheme ${scheme} is ambiguous: it names ${describeTiers(matches)}; give the English name`);
  }
  throw new UnknownTierError(`unknown tier "${given}" for scheme ${scheme}; the tiers are: ${describeTiers(tiers)}`);
}
