// Maximum likelihood on log-parameters (so every parameter stays positive without constraints): a damped Newton
// method where we have analytic gradients, fmin's Polak–Ribière conjugate gradient (Wolfe line search) otherwise
// and as Newton's fallback.
import { conjugateGradient } from 'fmin/src/conjugateGradient.js';

export interface Minimum {
  readonly x: readonly number[];
  readonly fx: number;
  readonly converged: boolean;
  readonly iterations: number;
  readonly method: string;
}

/** Convergence: the gradient of the mean negative log-likelihood per customer is this small. */
const GRADIENT_TOLERANCE = 1e-5;
const MAX_ROUNDS = 5;

/**
 * Minimises f with gradient. CG restarts from its own optimum until a round no longer improves f (fmin's CG stops
 * at maxIterations without saying so, hence the rounds), then reports whether the gradient is below tolerance.
 */
export function minimizeWithGradient(f: (x: readonly number[], gradient: number[]) => number, x0: readonly number[], maxIterations = 400): Minimum {
  let x = [...x0];
  let fx = Infinity;
  let iterations = 0;
  let gradientNorm = Infinity;
  for (let round = 0; round < MAX_ROUNDS; round++) {
    const history: unknown[] = [];
    const result = conjugateGradient((point, gradient) => {
      const value = f(point, gradient);
      // Outside the likelihood's domain (overflow): a large value turns the line search back.
      if (!Number.isFinite(value)) {
        gradient.fill(0);
        return 1e300;
      }
      return value;
    }, x, { maxIterations, history });
    iterations += Math.max(0, history.length - 1);
    gradientNorm = Math.hypot(...result.fxprime);
    const improved = fx - result.fx;
    x = [...result.x];
    fx = result.fx;
    if (gradientNorm <= GRADIENT_TOLERANCE || improved < 1e-12) break;
  }
  return { x, fx, converged: gradientNorm <= GRADIENT_TOLERANCE, iterations, method: 'conjugate-gradient (fmin), analytic gradient' };
}

/**
 * Minimises f without an analytic gradient: damped Newton on central differences (step 1e-5 on log-parameters),
 * which needs far fewer evaluations of f than a line search does. fmin's Nelder–Mead is not used: its shrink step
 * assigns an undeclared variable, which throws under ES modules (fmin 0.0.4).
 */
export function minimizeWithNumericGradient(f: (x: readonly number[]) => number, x0: readonly number[]): Minimum {
  const h = 1e-5;
  const minimum = minimizeWithNewton((x, gradient) => {
    const point = [...x];
    for (let i = 0; i < x.length; i++) {
      const xi = x[i] as number;
      point[i] = xi + h;
      const up = f(point);
      point[i] = xi - h;
      const down = f(point);
      point[i] = xi;
      gradient[i] = (up - down) / (2 * h);
    }
    return f(x);
  }, x0);
  return { ...minimum, method: minimum.method.replace('analytic gradient', 'central-difference gradient') };
}

/** Central-difference step for the Hessian, on log-parameters (the gradient is analytic, so h² error is tiny). */
const HESSIAN_STEP = 1e-5;
const MAX_NEWTON_ITERATIONS = 100;

/**
 * Damped Newton (Levenberg–Marquardt on the Hessian) from a point near the optimum: the Hessian is the central
 * difference of the analytic gradient, 2n extra gradients per step, and from a warm start it converges in a few
 * steps where the conjugate gradient's line search needs hundreds of evaluations. Falls back to the conjugate
 * gradient if it stalls. fmin has no Newton method and the 3–4 parameters need only a tiny linear solve.
 */
export function minimizeWithNewton(f: (x: readonly number[], gradient: number[]) => number, x0: readonly number[]): Minimum {
  const n = x0.length;
  const evaluate = (point: readonly number[]) => {
    const gradient = new Array<number>(n).fill(0);
    const value = f(point, gradient);
    return { value: Number.isFinite(value) ? value : Infinity, gradient };
  };
  let x = [...x0];
  let current = evaluate(x);
  let damping = 0;
  let iterations = 0;
  for (; iterations < MAX_NEWTON_ITERATIONS && Number.isFinite(current.value); iterations++) {
    if (Math.hypot(...current.gradient) <= GRADIENT_TOLERANCE) {
      return { x, fx: current.value, converged: true, iterations, method: 'damped Newton, analytic gradient, finite-difference Hessian' };
    }
    const hessian = finiteDifferenceHessian(evaluate, x);
    let accepted = false;
    while (!accepted && damping < 1e12) {
      const step = solveDamped(hessian, current.gradient, damping);
      if (step) {
        const next = x.map((xi, i) => xi - (step[i] as number));
        const trial = evaluate(next);
        if (trial.value <= current.value) {
          x = next;
          current = trial;
          damping = damping / 10;
          accepted = true;
          continue;
        }
      }
      damping = Math.max(damping * 10, 1e-6);
    }
    if (!accepted) break;
  }
  // Stalled (or left the domain): the conjugate gradient takes over from the best point found.
  const fallback = minimizeWithGradient(f, x);
  return { ...fallback, iterations: iterations + fallback.iterations };
}

function finiteDifferenceHessian(evaluate: (point: readonly number[]) => { gradient: number[] }, x: readonly number[]): number[][] {
  const n = x.length;
  const columns = x.map((_, j) => {
    const up = [...x];
    const down = [...x];
    up[j] = (x[j] as number) + HESSIAN_STEP;
    down[j] = (x[j] as number) - HESSIAN_STEP;
    const gUp = evaluate(up).gradient;
    const gDown = evaluate(down).gradient;
    return gUp.map((g, i) => (g - (gDown[i] as number)) / (2 * HESSIAN_STEP));
  });
  // symmetrise: the two differences of a mixed partial agree only to rounding
  return Array.from({ length: n }, (_, i) => Array.from({ length: n }, (_, j) => ((columns[j]![i] as number) + (columns[i]![j] as number)) / 2));
}

/** Solves (H + damping·I) s = g by Cholesky; null when the damped Hessian is not positive definite. */
function solveDamped(hessian: readonly (readonly number[])[], gradient: readonly number[], damping: number): number[] | null {
  const n = gradient.length;
  const lower = Array.from({ length: n }, () => new Array<number>(n).fill(0));
  for (let i = 0; i < n; i++) {
    for (let j = 0; j <= i; j++) {
      let sum = (hessian[i]![j] as number) + (i === j ? damping : 0);
      for (let k = 0; k < j; k++) sum -= (lower[i]![k] as number) * (lower[j]![k] as number);
      if (i === j) {
        if (!(sum > 0)) return null;
        lower[i]![i] = Math.sqrt(sum);
      } else {
        lower[i]![j] = sum / (lower[j]![j] as number);
      }
    }
  }
  const y = new Array<number>(n).fill(0);
  for (let i = 0; i < n; i++) {
    let sum = gradient[i] as number;
    for (let k = 0; k < i; k++) sum -= (lower[i]![k] as number) * (y[k] as number);
    y[i] = sum / (lower[i]![i] as number);
  }
  const s = new Array<number>(n).fill(0);
  for (let i = n - 1; i >= 0; i--) {
    let sum = y[i] as number;
    for (let k = i + 1; k < n; k++) sum -= (lower[k]![i] as number) * (s[k] as number);
    s[i] = sum / (lower[i]![i] as number);
  }
  return s;
}
