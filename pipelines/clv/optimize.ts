// Maximum likelihood on log-parameters (so every parameter stays positive without constraints), with fmin's
// Polak–Ribière conjugate gradient and a Wolfe line search, with analytic gradients where we have them.
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
 * Minimises f without an analytic gradient: the same conjugate gradient with central differences (step 1e-5 on
 * log-parameters). fmin's Nelder–Mead is not used: its shrink step assigns an undeclared variable, which throws
 * under ES modules (fmin 0.0.4).
 */
export function minimizeWithNumericGradient(f: (x: readonly number[]) => number, x0: readonly number[], maxIterations = 400): Minimum {
  const h = 1e-5;
  const minimum = minimizeWithGradient((x, gradient) => {
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
  }, x0, maxIterations);
  return { ...minimum, method: 'conjugate-gradient (fmin), central-difference gradient' };
}
