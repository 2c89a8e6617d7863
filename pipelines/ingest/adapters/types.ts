/**
 * A source adapter describes one kind of CRM export (e.g. "HubSpot deals") declaratively: the headers that identify
 * it, and for each canonical column (models/sources.yml) where its value comes from. stage-export.ts turns that into
 * one set-based SQL pass; parsing (dates, amounts, currencies, null tokens) and quarantine are the same for all.
 */

export const SOURCE_SYSTEMS = ['wukong', 'hubspot', 'salesforce', 'zoho'] as const;
export type SourceSystem = (typeof SOURCE_SYSTEMS)[number];

/** Reads a header's value as SQL (NULL when the file lacks it, null tokens such as N/A already NULL). */
export type HeaderValue = (header: string) => string;

/** Turns raw text into a canonical value: the first pattern (case-insensitive regex) that matches wins. */
export interface ValueMap {
  readonly cases: readonly (readonly [pattern: string, value: string])[];
  /** Value for text no pattern matches: a fixed value, `keep` (the text itself), or `reject` (quarantine the row). */
  readonly otherwise: string | { readonly keep: true } | { readonly reject: true };
}

export type ColumnSource =
  /** The first of these headers the file has; parsed by the canonical column's type (date, decimal, integer, text). */
  | { readonly headers: readonly string[]; readonly map?: ValueMap; readonly extract?: string }
  /** A value built from several headers (e.g. a stage decided by IsWon and IsClosed), as SQL text. */
  | { readonly sql: (value: HeaderValue, has: (header: string) => boolean) => string; readonly uses: readonly string[] }
  /** The same value on every row. */
  | { readonly constant: string };

export interface ExportKind {
  readonly system: SourceSystem;
  /** Canonical table the rows go to. */
  readonly table: string;
  /** What a person calls this export, e.g. "HubSpot deals". */
  readonly label: string;
  /** Header sets that identify the export; it is recognised when every header of one set is present. */
  readonly signatures: readonly (readonly string[])[];
  /** Canonical column → where its value comes from. The table's key column is also the row's source_id. */
  readonly columns: Readonly<Record<string, ColumnSource>>;
  /** Per-row currency code of amount columns (e.g. Salesforce CurrencyIsoCode); else the symbol in the value. */
  readonly currencyHeaders?: readonly string[];
  /** The source's own deleted flag (true/false). */
  readonly deletedHeaders?: readonly string[];
  /** Id of the record this one was merged into. */
  readonly mergedIntoHeaders?: readonly string[];
  /** Rows to quarantine with a reason before anything else, e.g. a report's footer lines. */
  readonly footer?: { readonly pattern: string; readonly reason: string };
}

/** Header names as compared: without case, spaces, underscores, hyphens, dots or a leading `*`. */
export function normaliseHeader(name: string): string {
  return name.toLowerCase().replace(/^[*＊]+/, '').replace(/[\s_\-.]/g, '');
}
