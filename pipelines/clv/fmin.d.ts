// Types for the optimizer we use from fmin (the package ships none). Imported from its ES sources because
// its "main" is a UMD bundle that exports nothing under Node's ES modules.
declare module 'fmin/src/conjugateGradient.js' {
  export interface GradientPoint {
    x: number[];
    fx: number;
    fxprime: number[];
  }
  export function conjugateGradient(
    f: (x: number[], gradient: number[]) => number,
    initial: number[],
    params?: { maxIterations?: number; history?: unknown[] },
  ): GradientPoint;
}

