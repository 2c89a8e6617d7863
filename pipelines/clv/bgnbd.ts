// BG/NBD (Fader, Hardie & Lee 2005, "Counting your customers the easy way"): purchases while alive are Poisson
// with rates ~ Gamma(r, alpha); after each purchase a customer drops out with probability p ~ Beta(a, b).
import { lnBeta, lnGamma, lnHyp2f1, logAddExp, psi } from './special.ts';
import { minimizeWithGradient } from './optimize.ts';
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
function objective(rows: readonly CompressedRow[], byX: ReadonlyMap<number, readonly number[]>, n: number) {
  return (theta: readonly number[], gradient: number[]): number => {
    const [r, alpha, a, b] = theta.map(Math.exp) as [number, number, number, number];
    const lnAlpha = Math.log(alpha);
    const base = { lnGr: lnGamma(r), psiR: psi(r), lnGab: lnGamma(a + b), psiAb: psi(a + b), lnGb: lnGamma(b), psiB: psi(b) };
    const terms = new Map<number, { head: number; dr: number; da: number; db: number }>();
    for (const x of byX.keys()) {
      terms.set(x, {
        head: lnGamma(r + x) - base.lnGr + base.lnGab + lnGamma(b + x) - base.lnGb - lnGamma(a + b + x),
        dr: psi(r + x) - base.psiR,
        da: base.psiAb - psi(a + b + x),
        db: base.psiAb + psi(b + x) - base.psiB - psi(a + b + x),
      });
    }
    let ll = 0;
    let gr = 0;
    let gAlpha = 0;
    let ga = 0;
    let gb = 0;
    for (const row of rows) {
      const t = terms.get(row.x)!;
      const { x, count } = row;
      const lnAT = Math.log(alpha + row.T);
      const alive = -(r + x) * lnAT;
      let rowLl = t.head + r * lnAlpha;
      let dr = t.dr + lnAlpha;
      let dAlpha = r / alpha;
      let da = t.da;
      let db = t.db;
      if (x > 0) {
        const lnATx = Math.log(alpha + row.tx);
        const dropped = Math.log(a) - Math.log(b + x - 1) - (r + x) * lnATx;
        const mix = logAddExp(alive, dropped);
        const wAlive = Math.exp(alive - mix);
        const wDropped = 1 - wAlive;
        rowLl += mix;
        dr += -wAlive * lnAT - wDropped * lnATx;
        dAlpha += -wAlive * (r + x) / (alpha + row.T) - wDropped * (r + x) / (alpha + row.tx);
        da += wDropped / a;
        db += -wDropped / (b + x - 1);
      } else {
        rowLl += alive;
        dr += -lnAT;
        dAlpha += -(r + x) / (alpha + row.T);
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

/** Fits BG/NBD by maximum likelihood on the compressed calibration summary. */
export function fitBgNbd(rows: readonly CompressedRow[], start: BgNbdParams = { r: 1, alpha: 1, a: 1, b: 1 }): FitReport<BgNbdParams> {
  const n = rows.reduce((sum, row) => sum + row.count, 0);
  const byX = new Map<number, number[]>();
  for (const row of rows) byX.set(row.x, []);
  const minimum = minimizeWithGradient(objective(rows, byX, n), [start.r, start.alpha, start.a, start.b].map(Math.log));
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
export function bgnbdConditionalExpectedPurchases(p: BgNbdParams, t: number, x: number, tx: number, T: number): number {
  if (t <= 0) return 0;
  const { r, alpha, a, b } = p;
  const z = t / (alpha + T + t);
  const lnTail = (r + x) * Math.log((alpha + T) / (alpha + T + t)) + lnHyp2f1(r + x, b + x, a + b + x - 1, z);
  const numerator = ((a + b + x - 1) / (a - 1)) * -Math.expm1(lnTail);
  return numerator * bgnbdProbabilityAlive(p, x, tx, T);
}
