// Special functions in log space. ln Γ, ln B and ψ come from @stdlib; the Gauss hypergeometric 2F1 (not in
// @stdlib) is summed here, only for the arguments the BTYD formulas give it: a, b, c > 0 and 0 <= z < 1.
import gammaln from '@stdlib/math-base-special-gammaln';
import betaln from '@stdlib/math-base-special-betaln';
import digamma from '@stdlib/math-base-special-digamma';

export const lnGamma: (x: number) => number = gammaln;
export const lnBeta: (a: number, b: number) => number = betaln;
export const psi: (x: number) => number = digamma;

const MAX_TERMS = 100_000;
const RESCALE_ABOVE = 1e250;

/**
 * ln 2F1(a, b; c; z) by its power series Σ (a)ₙ(b)ₙ/((c)ₙ n!) zⁿ. With a, b, c > 0 and 0 <= z < 1 every term is
 * positive, so the sum has no cancellation; it is rescaled as it grows so large arguments do not overflow.
 * Stops when a term no longer changes the sum in double precision and the terms are falling.
 */
export function lnHyp2f1(a: number, b: number, c: number, z: number): number {
  if (!(a > 0 && b > 0 && c > 0)) throw new Hyp2f1RangeError(`2F1 needs a, b, c > 0 (got ${a}, ${b}, ${c})`);
  if (!(z >= 0 && z < 1)) throw new Hyp2f1RangeError(`2F1 series needs 0 <= z < 1 (got ${z})`);
  if (z === 0) return 0;
  let term = 1;
  let sum = 1;
  let lnScale = 0;
  for (let n = 0; n < MAX_TERMS; n++) {
    const ratio = ((a + n) * (b + n)) / ((c + n) * (n + 1)) * z;
    term *= ratio;
    sum += term;
    if (sum > RESCALE_ABOVE) {
      term /= RESCALE_ABOVE;
      sum /= RESCALE_ABOVE;
      lnScale += Math.log(RESCALE_ABOVE);
    }
    if (ratio < 1 && term <= sum * 1e-17) return Math.log(sum) + lnScale;
  }
  throw new Hyp2f1RangeError(`2F1(${a}, ${b}; ${c}; ${z}) did not converge in ${MAX_TERMS} terms`);
}

/** Arguments outside the series' domain, or a series that needs more than MAX_TERMS terms (z very close to 1). */
export class Hyp2f1RangeError extends RangeError {}

/** ln(e^u + e^v) without overflow. */
export function logAddExp(u: number, v: number): number {
  if (u === -Infinity) return v;
  if (v === -Infinity) return u;
  return u > v ? u + Math.log1p(Math.exp(v - u)) : v + Math.log1p(Math.exp(u - v));
}

