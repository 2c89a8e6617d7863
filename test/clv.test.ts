// CLV models: closed forms worked out by hand, published CDNOW values, and parameter recovery on data simulated
// from known parameters with a seeded generator.
import { describe, expect, it } from 'vitest';
import { Rng } from '../pipelines/generate/rng.ts';
import { lnHyp2f1 } from '../pipelines/clv/special.ts';
import {
  bgnbdConditionalExpectedPurchases, bgnbdExpectedPurchases, bgnbdLogLikelihood, bgnbdProbabilityAlive, fitBgNbd,
} from '../pipelines/clv/bgnbd.ts';
import { fitGammaGamma, gammaGammaExpectedValue, gammaGammaLogLikelihood, gammaGammaTotalLogLikelihood } from '../pipelines/clv/gamma-gamma.ts';
import { paretoNbdLogLikelihood } from '../pipelines/clv/pareto-nbd.ts';
import { compress } from '../pipelines/clv/types.ts';
import { checkFitData, InsufficientDataError } from '../pipelines/clv/fit.ts';
import { minimizeWithGradient, minimizeWithNewton } from '../pipelines/clv/optimize.ts';

const CDNOW_BGNBD = { r: 0.243, alpha: 4.414, a: 0.793, b: 2.426 };

describe('2F1 series', () => {
  it('matches closed forms', () => {
    // 2F1(1, 1; 2; z) = −ln(1 − z) / z
    for (const z of [0.1, 0.5, 0.9, 0.99]) expect(Math.exp(lnHyp2f1(1, 1, 2, z))).toBeCloseTo(-Math.log(1 - z) / z, 12);
    // 2F1(a, b; b; z) = (1 − z)^−a, also for a large a where the sum needs rescaling
    expect(lnHyp2f1(2.5, 3, 3, 0.7)).toBeCloseTo(-2.5 * Math.log(0.3), 10);
    expect(lnHyp2f1(400, 3, 3, 0.9)).toBeCloseTo(-400 * Math.log(0.1), 8);
    expect(lnHyp2f1(1, 1, 2, 0)).toBe(0);
  });
  it('refuses arguments outside its domain', () => {
    expect(() => lnHyp2f1(1, 1, 2, 1)).toThrow(/0 <= z < 1/);
    expect(() => lnHyp2f1(1, 1, -2, 0.5)).toThrow(/a, b, c > 0/);
  });
});

describe('BG/NBD closed forms', () => {
  const p = { r: 0.5, alpha: 2, a: 1.5, b: 3 };
  it('log-likelihood of a customer without repeat purchases is r·ln(α/(α+T))', () => {
    expect(bgnbdLogLikelihood(p, 0, 0, 3)).toBeCloseTo(0.5 * Math.log(2 / 5), 12);
  });
  it('log-likelihood with one repeat purchase, by hand', () => {
    // Γ(r+1)/Γ(r) = r and B(a, b+1)/B(a, b) = b/(a+b):
    // L = r α^r · b/(a+b) · [(α+T)^−(r+1) + a/b · (α+tx)^−(r+1)] with tx = 1, T = 3
    const byHand = 0.5 * Math.sqrt(2) * (3 / 4.5) * (5 ** -1.5 + (1.5 / 3) * 3 ** -1.5);
    expect(bgnbdLogLikelihood(p, 1, 1, 3)).toBeCloseTo(Math.log(byHand), 12);
  });
  it('P(alive), by hand', () => {
    // 1 / (1 + a/(b+x−1) · ((α+T)/(α+tx))^(r+x)) with x = 1, tx = 1, T = 3
    expect(bgnbdProbabilityAlive(p, 1, 1, 3)).toBeCloseTo(1 / (1 + (1.5 / 3) * (5 / 3) ** 1.5), 12);
    expect(bgnbdProbabilityAlive(p, 0, 0, 10)).toBe(1);
    // a purchase at the calibration end: alive unless the last purchase ended it, 1 − a/(a+b+x−1)·… = b+x−1 share
    expect(bgnbdProbabilityAlive(p, 2, 3, 3)).toBeCloseTo(4 / (4 + 1.5), 12);
  });
  it('E[X(t)] of a new customer equals the conditional expectation for x = 0, T = 0', () => {
    for (const t of [1, 10, 52]) {
      expect(bgnbdConditionalExpectedPurchases(p, t, 0, 0, 0)).toBeCloseTo(bgnbdExpectedPurchases(p, t), 12);
    }
  });
  it('E[X(t)] agrees with a numerical integral of the purchase rate', () => {
    // For a = 1.5 the mean purchases by t are ∫₀ᵗ d/ds E[X(s)] ds; check E[X(t)] against a Monte Carlo-free
    // identity instead: E[X(t)] is increasing, 0 at 0, and ~ r/α·t for small t (nobody has dropped out yet)
    expect(bgnbdExpectedPurchases(p, 1e-6) / 1e-6).toBeCloseTo(p.r / p.alpha, 5);
    expect(bgnbdExpectedPurchases(p, 20)).toBeGreaterThan(bgnbdExpectedPurchases(p, 10));
  });
  it('reproduces the published CDNOW example (FHL 2005): x=2, tx=30.43, T=38.86 expects 1.226 purchases in 39 weeks', () => {
    expect(bgnbdConditionalExpectedPurchases(CDNOW_BGNBD, 39, 2, 30.43, 38.86)).toBeCloseTo(1.226, 2);
  });
  it('works for a < 1 (CDNOW’s a = 0.79) and returns positive expectations', () => {
    expect(bgnbdExpectedPurchases(CDNOW_BGNBD, 78)).toBeGreaterThan(0);
    expect(bgnbdConditionalExpectedPurchases(CDNOW_BGNBD, 52, 0, 0, 38.86)).toBeGreaterThan(0);
  });
});

describe('Gamma-Gamma closed forms', () => {
  it('log-likelihood of one repeat buyer, by hand', () => {
    // x = 1: Γ(p+q)/(Γ(p)Γ(q)) γ^q m^(p−1) / (γ+m)^(p+q); with p = 2, q = 3, γ = 4, m = 5: 4!/(1!·2!) · 64 · 5 / 9^5
    expect(gammaGammaLogLikelihood({ p: 2, q: 3, gamma: 4 }, 1, 5)).toBeCloseTo(Math.log((12 * 64 * 5) / 9 ** 5), 12);
  });
  it('expected value is the weighted mean of the population mean and the customer’s mean', () => {
    const g = { p: 6.25, q: 3.74, gamma: 15.44 };
    const population = (g.p * g.gamma) / (g.q - 1);
    const weight = (g.q - 1) / (g.p * 4 + g.q - 1);
    expect(gammaGammaExpectedValue(g, 4, 30)).toBeCloseTo(weight * population + (1 - weight) * 30, 12);
    expect(gammaGammaExpectedValue(g, 0, null)).toBeCloseTo(population, 12);
  });
});

describe('Pareto/NBD', () => {
  it('log-likelihood for α = β has the closed form without 2F1', () => {
    // with α = β the integral is (s/(r+s+x)) [(α+tx)^−(r+s+x) − (α+T)^−(r+s+x)]
    const p = { r: 0.5, alpha: 3, s: 0.8, beta: 3 };
    const [x, tx, T] = [2, 4, 10];
    const head = Math.log(0.5 * 1.5) + 0.5 * Math.log(3) + 0.8 * Math.log(3);
    const alive = (3 + T) ** -(0.5 + x) * (3 + T) ** -0.8;
    const died = (0.8 / (0.5 + 0.8 + x)) * ((3 + tx) ** -(3.3) - (3 + T) ** -(3.3));
    expect(paretoNbdLogLikelihood(p, x, tx, T)).toBeCloseTo(head + Math.log(alive + died), 10);
  });
});

describe('data checks', () => {
  it('compresses identical (frequency, recency, T) rows with counts', () => {
    const rows = compress([{ frequency: 0, recency: 0, T: 5 }, { frequency: 0, recency: 0, T: 5 }, { frequency: 1, recency: 2, T: 5 }]);
    expect(rows).toEqual([{ x: 0, tx: 0, T: 5, count: 2 }, { x: 1, tx: 2, T: 5, count: 1 }]);
  });
  it('refuses to fit without enough repeat buyers', () => {
    const data = { rows: [{ x: 0, tx: 0, T: 5, count: 100 }, { x: 1, tx: 2, T: 5, count: 3 }], spend: [] };
    expect(() => checkFitData(data, 30)).toThrow(InsufficientDataError);
    expect(() => checkFitData(data, 30)).toThrow(/only 3 of 103 customers bought again/);
  });
});

/** Simulates BG/NBD histories: births uniform over the first 12 weeks, calibration to week 39. */
function simulateBgNbd(params: { r: number; alpha: number; a: number; b: number }, customers: number, seed: number) {
  const rng = new Rng(seed);
  const rows: { frequency: number; recency: number; T: number }[] = [];
  for (let i = 0; i < customers; i++) {
    const lambda = rng.gamma(params.r, 1 / params.alpha);
    const p = rng.beta(params.a, params.b);
    const T = 39 - rng.float() * 12;
    let t = 0;
    let x = 0;
    let tx = 0;
    for (;;) {
      t += rng.exponential(1 / lambda);
      if (t > T) break;
      x++;
      tx = t;
      if (rng.chance(p)) break;
    }
    rows.push({ frequency: x, recency: tx, T });
  }
  return rows;
}

describe('parameter recovery from simulated data (seeded)', () => {
  it('BG/NBD recovers r, α, a, b within sampling error', () => {
    const truth = { r: 0.8, alpha: 5, a: 1.2, b: 3 };
    const fit = fitBgNbd(compress(simulateBgNbd(truth, 20_000, 42)));
    expect(fit.converged).toBe(true);
    expect(fit.params.r).toBeGreaterThan(truth.r * 0.9);
    expect(fit.params.r).toBeLessThan(truth.r * 1.1);
    expect(fit.params.alpha).toBeGreaterThan(truth.alpha * 0.85);
    expect(fit.params.alpha).toBeLessThan(truth.alpha * 1.15);
    expect(fit.params.a).toBeGreaterThan(truth.a * 0.7);
    expect(fit.params.a).toBeLessThan(truth.a * 1.3);
    expect(fit.params.b).toBeGreaterThan(truth.b * 0.7);
    expect(fit.params.b).toBeLessThan(truth.b * 1.3);
  });
  it.each([5000, 40_000])('Gamma-Gamma recovers p, q, γ within sampling error (%i buyers)', (buyers) => {
    const truth = { p: 6, q: 4, gamma: 15 };
    const rng = new Rng(7);
    const spend = Array.from({ length: buyers }, () => {
      const nu = rng.gamma(truth.q, 1 / truth.gamma);
      const x = rng.int(1, 10);
      let total = 0;
      for (let k = 0; k < x; k++) total += rng.gamma(truth.p, 1 / nu);
      return { x, m: total / x };
    });
    const fit = fitGammaGamma(spend);
    expect(fit.converged).toBe(true);
    expect(fit.params.p).toBeGreaterThan(truth.p * 0.85);
    expect(fit.params.p).toBeLessThan(truth.p * 1.15);
    expect(fit.params.q).toBeGreaterThan(truth.q * 0.8);
    expect(fit.params.q).toBeLessThan(truth.q * 1.2);
    expect(fit.params.gamma).toBeGreaterThan(truth.gamma * 0.7);
    expect(fit.params.gamma).toBeLessThan(truth.gamma * 1.3);
  });
});

describe('optimizers', () => {
  // Rosenbrock's valley: curved and badly scaled, the classic trap for a plain gradient method.
  const rosenbrock = (x: readonly number[], gradient: number[]) => {
    const [a, b] = x as [number, number];
    gradient[0] = -2 * (1 - a) - 400 * a * (b - a * a);
    gradient[1] = 200 * (b - a * a);
    return (1 - a) ** 2 + 100 * (b - a * a) ** 2;
  };
  // (0, 1): the Hessian there is diag(−398, 200), not positive definite, so only the damping can make progress
  it.each([[[-1.2, 1]], [[0, 1]]])('damped Newton finds the Rosenbrock minimum from %j', (start) => {
    const minimum = minimizeWithNewton(rosenbrock, start);
    expect(minimum.converged).toBe(true);
    expect(minimum.x[0]).toBeCloseTo(1, 5);
    expect(minimum.x[1]).toBeCloseTo(1, 5);
    expect(minimum.method).toMatch(/Newton/);
  });
  it('damped Newton and the conjugate gradient agree on a Gamma-Gamma likelihood', () => {
    const rng = new Rng(11);
    const spend = Array.from({ length: 3000 }, () => ({ x: rng.int(1, 6), m: rng.gamma(4, 10) }));
    const fit = fitGammaGamma(spend);
    const negativeLl = (theta: readonly number[]) => -gammaGammaTotalLogLikelihood({ p: Math.exp(theta[0] as number), q: Math.exp(theta[1] as number), gamma: Math.exp(theta[2] as number) }, spend) / spend.length;
    const h = 1e-6;
    const numericGradient = (theta: readonly number[], gradient: number[]) => {
      theta.forEach((_, i) => {
        const up = [...theta];
        const down = [...theta];
        up[i] = (theta[i] as number) + h;
        down[i] = (theta[i] as number) - h;
        gradient[i] = (negativeLl(up) - negativeLl(down)) / (2 * h);
      });
      return negativeLl(theta);
    };
    const byGradient = minimizeWithGradient(numericGradient, [0, 0, 0]);
    expect(Math.abs(fit.logLikelihood + byGradient.fx * spend.length)).toBeLessThan(1e-3);
  });
});
