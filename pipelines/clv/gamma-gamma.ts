// Gamma-Gamma spend model (Fader, Hardie & Lee 2005, "RFM and CLV"; Colombo & Jiang 1999): each purchase's value
// is Gamma(p, nu) with nu ~ Gamma(q, gamma) across customers, independent of the purchase process. Fitted on
// repeat buyers from (x = repeat purchases, m = their mean value).
import { lnGamma, psi } from './special.ts';
import { minimizeWithGradient } from './optimize.ts';
import type { FitReport } from './types.ts';

export interface GammaGammaParams {
  readonly p: number;
  readonly q: number;
  readonly gamma: number;
}

export interface SpendRow {
  readonly x: number;
  readonly m: number;
}

/** ln f(m | x) of one repeat buyer. */
export function gammaGammaLogLikelihood(params: GammaGammaParams, x: number, m: number): number {
  const { p, q, gamma } = params;
  return lnGamma(p * x + q) - lnGamma(p * x) - lnGamma(q) + q * Math.log(gamma) + (p * x - 1) * Math.log(m) + p * x * Math.log(x) - (p * x + q) * Math.log(gamma + m * x);
}

export function gammaGammaTotalLogLikelihood(params: GammaGammaParams, rows: readonly SpendRow[]): number {
  let total = 0;
  for (const row of rows) total += gammaGammaLogLikelihood(params, row.x, row.m);
  return total;
}

function objective(rows: readonly SpendRow[]) {
  const n = rows.length;
  return (theta: readonly number[], gradient: number[]): number => {
    const [p, q, gamma] = theta.map(Math.exp) as [number, number, number];
    const lnGq = lnGamma(q);
    const psiQ = psi(q);
    const lnGammaParam = Math.log(gamma);
    let ll = 0;
    let gp = 0;
    let gq = 0;
    let gg = 0;
    for (const { x, m } of rows) {
      const px = p * x;
      const lnRate = Math.log(gamma + m * x);
      const psiSum = psi(px + q);
      ll += lnGamma(px + q) - lnGamma(px) - lnGq + q * lnGammaParam + (px - 1) * Math.log(m) + px * Math.log(x) - (px + q) * lnRate;
      gp += x * (psiSum - psi(px) + Math.log(m) + Math.log(x) - lnRate);
      gq += psiSum - psiQ + lnGammaParam - lnRate;
      gg += q / gamma - (px + q) / (gamma + m * x);
    }
    gradient[0] = (-gp * p) / n;
    gradient[1] = (-gq * q) / n;
    gradient[2] = (-gg * gamma) / n;
    return -ll / n;
  };
}

/** Fits Gamma-Gamma on repeat buyers (x >= 1, m > 0). */
export function fitGammaGamma(rows: readonly SpendRow[], start: GammaGammaParams = { p: 1, q: 1, gamma: 1 }): FitReport<GammaGammaParams> {
  const minimum = minimizeWithGradient(objective(rows), [start.p, start.q, start.gamma].map(Math.log));
  const [p, q, gamma] = minimum.x.map(Math.exp) as [number, number, number];
  const params = { p, q, gamma };
  return { params, logLikelihood: gammaGammaTotalLogLikelihood(params, rows), converged: minimum.converged, iterations: minimum.iterations, customers: rows.length, method: minimum.method };
}

/**
 * E[M | x, m]: expected value of a future purchase given x purchases with mean m — a weighted mean of the
 * population mean p·gamma/(q−1) and the customer's own mean. Needs q > 1 (finite population mean).
 */
export function gammaGammaExpectedValue(params: GammaGammaParams, x: number, m: number | null): number {
  const { p, q, gamma } = params;
  if (x === 0 || m === null) return (p * gamma) / (q - 1);
  return (p * (gamma + x * m)) / (p * x + q - 1);
}
