import { formatTable } from '../cli/format.ts';
import type { ClvCommandResult } from '../commands/clv.ts';

/** The `clv` result for people: one line per model, then the holdout check. */
export function printClv(result: ClvCommandResult): string {
  const lines = [
    `${result.customers.toLocaleString('en-US')} customers (${result.repeat_buyers.toLocaleString('en-US')} repeat buyers), calibration to ${result.calibration_end_date}, holdout to ${result.holdout_end_date}, time unit ${result.time_unit}`,
    '',
    formatTable(Object.entries(result.models).map(([model, fit]) => {
      const { log_likelihood, customers, converged, iterations, method, ...params } = fit;
      void method;
      const text = Object.entries(params).map(([k, v]) => `${k}=${Number(v).toPrecision(4)}`).join(' ');
      return { model, parameters: text, log_likelihood: Number(log_likelihood).toFixed(1), customers: customers ?? null, converged: converged ?? null, iterations: iterations ?? null };
    })),
  ];
  if (result.holdout_check.length > 0) {
    lines.push('', 'Holdout: purchase days, actual vs predicted, by calibration frequency', formatTable(result.holdout_check.map((row) => ({
      ...row,
      predicted_purchases: Number(row.predicted_purchases.toFixed(1)),
    }))));
  }
  return lines.join('\n');
}
