// Pareto/NBD (Schmittlein, Morrison & Colombo 1987): Poisson purchases with rates ~ Gamma(r, alpha) and an
// exponential lifetime with rates ~ Gamma(s, beta). Likelihood as in Fader & Hardie (2005), "A note on deriving
// the Pareto/NBD model and related expressions", in log space; fitted with a numerical gradient.
import { Hyp2f1RangeError, lnGamma, lnHyp2f1, logAddExp } from './special.ts';
import { minimizeWithNumericGradient } from './optimize.ts';
import type { CompressedRow, FitReport } from './types.ts';

export interface ParetoNbdParams {
  readonly r: number;
  readonly alpha: number;
  readonly s: number;
  readonly beta: number;
}

/** ln A0 (the integral over death times before T), using the 2F1 with the smaller argument. */
function lnA0(p: ParetoNbdParams, x: number, tx: number, T: number): number {
  const { r, alpha, s, beta } = p;
  const rsx = r + s + x;
  const [big, b2] = alpha >= beta ? [alpha, s + 1] : [beta, r + x];
  const diff = Math.abs(alpha - beta);
  const atTx = lnHyp2f1(rsx, b2, rsx + 1, diff / (big + tx)) - rsx * Math.log(big + tx);
  const atT = lnHyp2f1(rsx, b2, rsx + 1, diff / (big + T)) - rsx * Math.log(big + T);
  // atTx > atT always (the integrand is positive); the difference is taken in log space
  return atTx + Math.log(-Math.expm1(atT - atTx));
}

export function paretoNbdLogLikelihood(p: ParetoNbdParams, x: number, tx: number, T: number): number {
  const { r, alpha, s, beta } = p;
  const head = lnGamma(r + x) - lnGamma(r) + r * Math.log(alpha) + s * Math.log(beta);
  const aliveAtT = -(r + x) * Math.log(alpha + T) - s * Math.log(beta + T);
  const diedBefore = Math.log(s) - Math.log(r + s + x) + lnA0(p, x, tx, T);
  return head + logAddExp(aliveAtT, diedBefore);
}

export function paretoNbdTotalLogLikelihood(p: ParetoNbdParams, rows: readonly CompressedRow[]): number {
  let total = 0;
  for (const row of rows) total += row.count * paretoNbdLogLikelihood(p, row.x, row.tx, row.T);
  return total;
}

export function fitParetoNbd(rows: readonly CompressedRow[], start: ParetoNbdParams = { r: 1, alpha: 1, s: 1, beta: 1 }): FitReport<ParetoNbdParams> {
  const n = rows.reduce((sum, row) => sum + row.count, 0);
  const toParams = (theta: readonly number[]): ParetoNbdParams => {
    const [r, alpha, s, beta] = theta.map(Math.exp) as [number, number, number, number];
    return { r, alpha, s, beta };
  };
  const objective = (theta: readonly number[]) => {
    try {
      return -paretoNbdTotalLogLikelihood(toParams(theta), rows) / n;
    } catch (error) {
      // A probe far from the optimum (alpha and beta very unequal) can put the 2F1 argument at or too near 1 for
      // the series; to the optimizer that point is outside the domain, and it steps back.
      if (error instanceof Hyp2f1RangeError) return Infinity;
      throw error;
    }
  };
  const minimum = minimizeWithNumericGradient(objective, [start.r, start.alpha, start.s, start.beta].map(Math.log));
  const params = toParams(minimum.x);
  return { params, logLikelihood: paretoNbdTotalLogLikelihood(params, rows), converged: minimum.converged, iterations: minimum.iterations, customers: n, method: minimum.method };
}

/** P(alive at T | x, tx, T) for Pareto/NBD: the alive-at-T share of the likelihood. */
export function paretoNbdProbabilityAlive(p: ParetoNbdParams, x: number, tx: number, T: number): number {
  const { r, alpha, s, beta } = p;
  const head = lnGamma(r + x) - lnGamma(r) + r * Math.log(alpha) + s * Math.log(beta);
  const aliveAtT = -(r + x) * Math.log(alpha + T) - s * Math.log(beta + T);
  return Math.exp(head + aliveAtT - paretoNbdLogLikelihood(p, x, tx, T));
}
