/**
 * Seeded random numbers and the few distributions the generator needs.
 *
 * The generator is SFC32 (Chris Doty-Humphrey's Small Fast Chaotic PRNG, passes PractRand): four 32-bit
 * words and integer arithmetic only, so it is exact on every platform. Each customer gets its own streams,
 * seeded from (run seed, customer index, purpose) through a 32-bit hash; output therefore never depends on
 * processing order, Math.random, the clock or the locale. seedrandom's alea would do the same job, but it
 * builds several closures per instance and hashes a string seed, which at millions of child streams cost
 * about a tenth of the run time; an SFC32 stream is re-seeded in place without allocating.
 */
export const Stream = {
  header: 1,
  profile: 2,
  orders: 3,
  tickets: 4,
  activities: 5,
  surveys: 6,
} as const;
export type Stream = (typeof Stream)[keyof typeof Stream];

const TWO_POW_32 = 4294967296;

/** murmur3's 32-bit finaliser: spreads every input bit over the whole word. */
function fmix32(h: number): number {
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
}

export class Rng {
  private a = 0;
  private b = 0;
  private c = 0;
  private d = 0;
  /** Second value of the last polar-method pair, kept so each pair of uniforms gives two normals. */
  private spareNormal = Number.NaN;

  constructor(seed: number, index = 0, stream = 0) {
    this.reseed(seed, index, stream);
  }

  /** A stream for one customer and one purpose; purposes keep the sub-models independent of each other. */
  static child(seed: number, index: number, stream: Stream): Rng {
    return new Rng(seed, index, stream);
  }

  /** Restarts this generator as the stream for (seed, index, stream), reusing the object. */
  reseed(seed: number, index: number, stream: number): this {
    // a safe-integer seed or index may exceed 32 bits or be negative: fold both halves in
    const key = fmix32((seed >>> 0) ^ fmix32((Math.floor(seed / TWO_POW_32) >>> 0) + 0x9e3779b9));
    const purpose = fmix32(key ^ Math.imul(stream + 1, 0x7f4a7c15));
    const low = index >>> 0;
    const high = Math.floor(index / TWO_POW_32) >>> 0;
    // b is a bijection of the index for a given (seed, purpose), so no two customers share a stream;
    // a and c mix everything in as well, so neighbouring streams differ in every word from the start
    this.a = fmix32(purpose ^ fmix32(low ^ 0x243f6a88));
    this.b = fmix32(purpose ^ low);
    this.c = fmix32((purpose + high) ^ fmix32(low + 0x85a308d3));
    this.d = 1; // SFC32's counter
    this.spareNormal = Number.NaN;
    for (let i = 0; i < 15; i++) this.nextUint32(); // warm-up recommended for SFC
    return this;
  }

  /** SFC32 step. */
  nextUint32(): number {
    const a = this.a;
    const b = this.b;
    const c = this.c;
    const d = this.d;
    const t = (((a + b) | 0) + d) | 0;
    this.d = (d + 1) | 0;
    this.a = b ^ (b >>> 9);
    this.b = (c + (c << 3)) | 0;
    this.c = (((c << 21) | (c >>> 11)) + t) | 0;
    return t >>> 0;
  }

  private next(): number {
    return this.nextUint32() / TWO_POW_32;
  }

  /** Uniform in [0, 1). */
  float(): number {
    return this.next();
  }

  /** Uniform in (0, 1]: safe to take the logarithm of. */
  positive(): number {
    return 1 - this.next();
  }

  /** Integer in [min, max) (max exclusive). */
  int(min: number, max: number): number {
    return min + Math.floor(this.next() * (max - min));
  }

  chance(probability: number): boolean {
    return this.next() < probability;
  }

  pick<T>(items: readonly T[]): T {
    return items[Math.floor(this.next() * items.length)] as T;
  }

  /** Exponential with the given mean. */
  exponential(mean: number): number {
    return -Math.log(this.positive()) * mean;
  }

  /** Standard normal by the Marsaglia polar method. */
  normal(): number {
    if (!Number.isNaN(this.spareNormal)) {
      const spare = this.spareNormal;
      this.spareNormal = Number.NaN;
      return spare;
    }
    let u: number;
    let v: number;
    let s: number;
    do {
      u = 2 * this.next() - 1;
      v = 2 * this.next() - 1;
      s = u * u + v * v;
    } while (s >= 1 || s === 0);
    const factor = Math.sqrt((-2 * Math.log(s)) / s);
    this.spareNormal = v * factor;
    return u * factor;
  }

  /** Gamma(shape, scale) by Marsaglia & Tsang; shape < 1 uses the U^(1/shape) boost. */
  gamma(shape: number, scale: number): number {
    if (shape < 1) return this.gamma(shape + 1, scale) * Math.pow(this.positive(), 1 / shape);
    const d = shape - 1 / 3;
    const c = 1 / Math.sqrt(9 * d);
    for (;;) {
      let x: number;
      let v: number;
      do {
        x = this.normal();
        v = 1 + c * x;
      } while (v <= 0);
      v = v * v * v;
      const u = this.positive();
      const x2 = x * x;
      if (u < 1 - 0.0331 * x2 * x2) return d * v * scale;
      if (Math.log(u) < 0.5 * x2 + d * (1 - v + Math.log(v))) return d * v * scale;
    }
  }

  /** Beta(a, b) as a ratio of gammas. */
  beta(a: number, b: number): number {
    const x = this.gamma(a, 1);
    const y = this.gamma(b, 1);
    return x / (x + y);
  }

  /** Poisson count; only used with small means, where Knuth's product method is exact and quick. */
  poisson(mean: number): number {
    if (mean <= 0) return 0;
    if (mean > 30) return Math.max(0, Math.round(mean + Math.sqrt(mean) * this.normal()));
    const limit = Math.exp(-mean);
    let k = 0;
    let product = this.next();
    while (product > limit) {
      k++;
      product *= this.next();
    }
    return k;
  }
}

/** A fixed categorical distribution; the cumulative table is built once and shared by all customers. */
export class Weighted<T> {
  readonly items: readonly T[];
  private readonly cumulative: Float64Array;

  constructor(entries: ReadonlyArray<readonly [T, number]>) {
    if (entries.length === 0) throw new Error('Weighted: no entries');
    this.items = entries.map(([item]) => item);
    this.cumulative = new Float64Array(entries.length);
    let total = 0;
    entries.forEach(([, weight], i) => {
      total += weight;
      this.cumulative[i] = total;
    });
    for (let i = 0; i < entries.length; i++) this.cumulative[i] = (this.cumulative[i] as number) / total;
  }

  sample(rng: Rng): T {
    const u = rng.float();
    const last = this.items.length - 1;
    for (let i = 0; i < last; i++) if (u < (this.cumulative[i] as number)) return this.items[i] as T;
    return this.items[last] as T;
  }
}

/** Picks an index with probability proportional to weights (for per-customer weights built on the fly). */
export function sampleIndex(rng: Rng, weights: ArrayLike<number>, total: number): number {
  let u = rng.float() * total;
  const last = weights.length - 1;
  for (let i = 0; i < last; i++) {
    u -= weights[i] as number;
    if (u < 0) return i;
  }
  return last;
}
