// Gamma-Gamma spend model (Fader, Hardie & Lee 2005, "RFM and CLV"; Colombo & Jiang 1999): each purchase's value
// is Gamma(p, nu) with nu ~ Gamma(q, gamma) across customers, independent of the purchase process. Fitted on
// repeat buyers from (x = repeat purchases, m = their mean value).
import { lnGamma, psi } from './special.ts';
import { minimizeWithNewton } from './optimize.ts';
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

/**
 * Mean negative log-likelihood and gradient with respect to (ln p, ln q, ln gamma). ln Γ and ψ depend on x only,
 * so they are computed once per distinct x; per customer only ln(gamma + m·x) is left.
 */
function objective(rows: readonly SpendRow[]) {
  const n = rows.length;
  const xs = Float64Array.from(rows, (row) => row.x);
  const ms = Float64Array.from(rows, (row) => row.m);
  const lnMs = ms.map(Math.log);
  const lnXs = xs.map(Math.log);
  const distinctX = [...new Set(rows.map((row) => row.x))];
  const maxX = Math.max(...distinctX);
  const lnGammaTerm = new Float64Array(maxX + 1);
  const psiTerm = new Float64Array(maxX + 1);
  const psiSumTerm = new Float64Array(maxX + 1);
  return (theta: readonly number[], gradient: number[]): number => {
    const [p, q, gamma] = theta.map(Math.exp) as [number, number, number];
    for (const x of distinctX) {
      lnGammaTerm[x] = lnGamma(p * x + q) - lnGamma(p * x);
      psiTerm[x] = psi(p * x);
      psiSumTerm[x] = psi(p * x + q);
    }
    const lnGq = lnGamma(q);
    const psiQ = psi(q);
    const lnGammaParam = Math.log(gamma);
    let ll = 0;
    let gp = 0;
    let gq = 0;
    let gg = 0;
    for (let i = 0; i < n; i++) {
      const x = xs[i] as number;
      const m = ms[i] as number;
      const px = p * x;
      const lnRate = Math.log(gamma + m * x);
      const psiSum = psiSumTerm[x] as number;
      const lnM = lnMs[i] as number;
      ll += (lnGammaTerm[x] as number) - lnGq + q * lnGammaParam + (px - 1) * lnM + px * (lnXs[i] as number) - (px + q) * lnRate;
      gp += x * (psiSum - (psiTerm[x] as number) + lnM + (lnXs[i] as number) - lnRate);
      gq += psiSum - psiQ + lnGammaParam - lnRate;
      gg += q / gamma - (px + q) / (gamma + m * x);
    }
    gradient[0] = (-gp * p) / n;
    gradient[1] = (-gq * q) / n;
    gradient[2] = (-gg * gamma) / n;
    return -ll / n;
  };
}

const WARM_START_ABOVE = 20_000;

/** Fits Gamma-Gamma on repeat buyers (x >= 1, m > 0). */
export function fitGammaGamma(rows: readonly SpendRow[], start: GammaGammaParams = { p: 1, q: 1, gamma: 1 }): FitReport<GammaGammaParams> {
  // Large data: most of the way on every 16th buyer (cheap), then Newton steps on all of them (few evaluations).
  const warm = rows.length > WARM_START_ABOVE ? fitGammaGamma(rows.filter((_, i) => i % 16 === 0), start).params : start;
  // Searched in (ln p, ln q, ln(q / gamma)): the likelihood is a long ridge along which q and gamma grow together
  // (the mean of nu, q / gamma, stays put); across that ridge the search needs far fewer steps.
  const onLogScale = objective(rows);
  const logGradient = [0, 0, 0];
  const minimum = minimizeWithNewton((theta, gradient) => {
    const [lnP, lnQ, lnMean] = theta as [number, number, number];
    const value = onLogScale([lnP, lnQ, lnQ - lnMean], logGradient);
    gradient[0] = logGradient[0] as number;
    gradient[1] = (logGradient[1] as number) + (logGradient[2] as number);
    gradient[2] = -(logGradient[2] as number);
    return value;
  }, [Math.log(warm.p), Math.log(warm.q), Math.log(warm.q / warm.gamma)]);
  const [lnP, lnQ, lnMean] = minimum.x as [number, number, number];
  const [p, q, gamma] = [Math.exp(lnP), Math.exp(lnQ), Math.exp(lnQ - lnMean)];
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
