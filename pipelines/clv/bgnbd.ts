// BG/NBD (Fader, Hardie & Lee 2005, "Counting your customers the easy way"): purchases while alive are Poisson
// with rates ~ Gamma(r, alpha); after each purchase a customer drops out with probability p ~ Beta(a, b).
import { lnBeta, lnGamma, lnHyp2f1, logAddExp, psi } from './special.ts';
import { minimizeWithNewton } from './optimize.ts';
import type { CompressedRow, FitReport } from './types.ts';

export interface BgNbdParams {
  readonly r: number;
  readonly alpha: number;
  readonly a: number;
  readonly b: number;
}

/** ln L of one customer with x repeat purchases, recency tx and age T (FHL 2005, eq. 6). */
export function bgnbdLogLikelihood(p: BgNbdParams, x: number, tx: number, T: number): number {
  const { r, alpha, a, b } = p;
  const head = lnGamma(r + x) - lnGamma(r) + r * Math.log(alpha) + lnBeta(a, b + x) - lnBeta(a, b);
  const alive = -(r + x) * Math.log(alpha + T);
  const dropped = x > 0 ? Math.log(a) - Math.log(b + x - 1) - (r + x) * Math.log(alpha + tx) : -Infinity;
  return head + logAddExp(alive, dropped);
}

/** Σ count × ln L over the compressed rows. */
export function bgnbdTotalLogLikelihood(p: BgNbdParams, rows: readonly CompressedRow[]): number {
  let total = 0;
  for (const row of rows) total += row.count * bgnbdLogLikelihood(p, row.x, row.tx, row.T);
  return total;
}

/**
 * Mean negative log-likelihood and its gradient with respect to (ln r, ln alpha, ln a, ln b). The ln Γ and ψ
 * terms depend on x only, so they are computed once per distinct x, not once per row.
 */
function objective(rows: readonly CompressedRow[]) {
  const n = rows.reduce((sum, row) => sum + row.count, 0);
  const xs = Float64Array.from(rows, (row) => row.x);
  const txs = Float64Array.from(rows, (row) => row.tx);
  const Ts = Float64Array.from(rows, (row) => row.T);
  const counts = Float64Array.from(rows, (row) => row.count);
  const distinctX = [...new Set(rows.map((row) => row.x))];
  const size = Math.max(...distinctX) + 1;
  const head = new Float64Array(size);
  const dHeadR = new Float64Array(size);
  const dHeadA = new Float64Array(size);
  const dHeadB = new Float64Array(size);
  return (theta: readonly number[], gradient: number[]): number => {
    const [r, alpha, a, b] = theta.map(Math.exp) as [number, number, number, number];
    const lnAlpha = Math.log(alpha);
    const lnA = Math.log(a);
    const lnGr = lnGamma(r);
    const psiR = psi(r);
    const lnGab = lnGamma(a + b);
    const psiAb = psi(a + b);
    const lnGb = lnGamma(b);
    const psiB = psi(b);
    for (const x of distinctX) {
      head[x] = lnGamma(r + x) - lnGr + lnGab + lnGamma(b + x) - lnGb - lnGamma(a + b + x) + r * lnAlpha;
      dHeadR[x] = psi(r + x) - psiR + lnAlpha;
      dHeadA[x] = psiAb - psi(a + b + x);
      dHeadB[x] = psiAb + psi(b + x) - psiB - psi(a + b + x);
    }
    let ll = 0;
    let gr = 0;
    let gAlpha = 0;
    let ga = 0;
    let gb = 0;
    for (let i = 0; i < xs.length; i++) {
      const x = xs[i] as number;
      const count = counts[i] as number;
      const aT = alpha + (Ts[i] as number);
      const lnAT = Math.log(aT);
      const alive = -(r + x) * lnAT;
      let rowLl = (head[x] as number) + alive;
      let dr = (dHeadR[x] as number) - lnAT;
      let dAlpha = r / alpha - (r + x) / aT;
      let da = dHeadA[x] as number;
      let db = dHeadB[x] as number;
      if (x > 0) {
        const aTx = alpha + (txs[i] as number);
        const lnATx = Math.log(aTx);
        // ln L = head + alive + ln(1 + e^(dropped − alive)); the weight of "dropped out" is w
        const d = lnA - Math.log(b + x - 1) - (r + x) * lnATx - alive;
        let w: number;
        if (d > 0) {
          const e = Math.exp(-d);
          w = 1 / (1 + e);
          rowLl += d + Math.log1p(e);
        } else {
          const e = Math.exp(d);
          w = e / (1 + e);
          rowLl += Math.log1p(e);
        }
        dr += w * (lnAT - lnATx);
        dAlpha += w * ((r + x) / aT - (r + x) / aTx);
        da += w / a;
        db -= w / (b + x - 1);
      }
      ll += count * rowLl;
      gr += count * dr;
      gAlpha += count * dAlpha;
      ga += count * da;
      gb += count * db;
    }
    // chain rule for log-parameters, sign for minimisation, per customer for a scale-free tolerance
    gradient[0] = (-gr * r) / n;
    gradient[1] = (-gAlpha * alpha) / n;
    gradient[2] = (-ga * a) / n;
    gradient[3] = (-gb * b) / n;
    return -ll / n;
  };
}

const WARM_START_ABOVE = 20_000;

/** Fits BG/NBD by maximum likelihood on the compressed calibration summary. */
export function fitBgNbd(rows: readonly CompressedRow[], start: BgNbdParams = { r: 1, alpha: 1, a: 1, b: 1 }): FitReport<BgNbdParams> {
  const n = rows.reduce((sum, row) => sum + row.count, 0);
  // Large data: most of the way on every 16th history (cheap), then Newton steps on all of them (few evaluations).
  const warm = rows.length > WARM_START_ABOVE ? fitBgNbd(rows.filter((_, i) => i % 16 === 0), start).params : start;
  const minimum = minimizeWithNewton(objective(rows), [warm.r, warm.alpha, warm.a, warm.b].map(Math.log));
  const [r, alpha, a, b] = minimum.x.map(Math.exp) as [number, number, number, number];
  const params = { r, alpha, a, b };
  return { params, logLikelihood: bgnbdTotalLogLikelihood(params, rows), converged: minimum.converged, iterations: minimum.iterations, customers: n, method: minimum.method };
}

/** P(alive at T | x, tx, T) (FHL 2005, eq. 11 ; a customer without a repeat purchase is alive by assumption). */
export function bgnbdProbabilityAlive(p: BgNbdParams, x: number, tx: number, T: number): number {
  if (x === 0) return 1;
  const lnOdds = Math.log(p.a) - Math.log(p.b + x - 1) + (p.r + x) * (Math.log(p.alpha + T) - Math.log(p.alpha + tx));
  return 1 / (1 + Math.exp(lnOdds));
}

/** E[X(t)]: expected purchases of a new customer in (0, t] (FHL 2005, eq. 7). */
export function bgnbdExpectedPurchases(p: BgNbdParams, t: number): number {
  const { r, alpha, a, b } = p;
  const z = t / (alpha + t);
  const lnTail = r * Math.log(alpha / (alpha + t)) + lnHyp2f1(r, b, a + b - 1, z);
  return ((a + b - 1) / (a - 1)) * -Math.expm1(lnTail);
}

/** E[Y(t) | x, tx, T]: expected purchases in the next t units of a customer with that history (FHL 2005, eq. 10). */
/**
 * E[Y(t) | x, T, alive]: expected purchases in the next t if the customer is still alive. It does not depend on
 * recency, so the predictions compute it once per (x, T) and multiply by each history's P(alive).
 */
export function bgnbdExpectedPurchasesIfAlive(p: BgNbdParams, t: number, x: number, T: number): number {
  if (t <= 0) return 0;
  const { r, alpha, a, b } = p;
  const z = t / (alpha + T + t);
  const lnTail = (r + x) * Math.log((alpha + T) / (alpha + T + t)) + lnHyp2f1(r + x, b + x, a + b + x - 1, z);
  return ((a + b + x - 1) / (a - 1)) * -Math.expm1(lnTail);
}

export function bgnbdConditionalExpectedPurchases(p: BgNbdParams, t: number, x: number, tx: number, T: number): number {
  if (t <= 0) return 0;
  return bgnbdExpectedPurchasesIfAlive(p, t, x, T) * bgnbdProbabilityAlive(p, x, tx, T);
}

