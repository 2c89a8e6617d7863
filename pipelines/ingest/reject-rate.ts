import type { FileReconciliation } from './load-sources.ts';

/** A load that quarantined more of a file than the configured limit allows; the data stays loaded so it can be inspected. */
export class RejectRateError extends Error {
  constructor(readonly files: readonly FileReconciliation[], readonly limit: number) {
    const lines = files.map((f) => `${f.file}: ${f.rows_quarantined.toLocaleString('en-US')} of ${f.rows_read.toLocaleString('en-US')} rows quarantined (${percent(f.rows_quarantined / f.rows_read)})`);
    super(`too many rows quarantined (limit ${percent(limit)} per file):\n  ${lines.join('\n  ')}\n` +
      'See them with: crm-tiers query "select reason, count(*) from quarantine group by all". ' +
      'If they are expected, raise the limit with --max-reject-rate (or max_reject_rate in models/sources.yml).');
    this.name = 'RejectRateError';
  }
}

function percent(share: number): string {
  return `${(100 * share).toFixed(1)}%`;
}

/** Throws RejectRateError when any file's quarantined share is above `limit` (a fraction, 0–1). */
export function checkRejectRate(files: readonly FileReconciliation[], limit: number): void {
  const over = files.filter((f) => f.rows_read > 0 && f.rows_quarantined / f.rows_read > limit);
  if (over.length > 0) throw new RejectRateError(over, limit);
}
