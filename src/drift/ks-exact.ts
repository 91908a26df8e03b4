/**
 * Exact null distribution of the two-sample, two-sided Kolmogorov–Smirnov statistic by
 * lattice-path counting (Hodges 1958, after Drion/Gnedenko/Korolyuk), as scipy.stats.ks_2samp
 * computes it for method='exact':
 *  - n1 == n2: a closed alternating sum evaluated Horner-style (scipy's _compute_prob_outside_square);
 *  - otherwise: Viehmann's (2021) "inside method" recursion that yields 1 − p directly, column by
 *    column over a sliding window (scipy's _compute_outer_prob_inside_method).
 * The operations are done in the same order as scipy so the results agree to the last bits,
 * which matters because scipy falls back to the asymptotic p-value when the exact one
 * leaves [0, 1].
 */

export function gcd(a: number, b: number): number {
  let x = Math.abs(a);
  let y = Math.abs(b);
  while (y !== 0) {
    const t = x % y;
    x = y;
    y = t;
  }
  return x;
}

/** Round half to even, like numpy.round. */
export function roundHalfEven(x: number): number {
  const r = Math.round(x);
  // Math.round rounds .5 up; pull exact ties back to the even neighbour.
  return Math.abs(x - Math.trunc(x)) === 0.5 && r % 2 !== 0 ? r - 1 : r;
}

/**
 * Pr(D_{n,n} ≥ h/n): proportion of lattice paths leaving the band |x − y| < h.
 * P = 2·A0·(1 − A1·(1 − A2·(1 − …))) avoids the cancellation of the binomial sum.
 */
export function probOutsideSquare(n: number, h: number): number {
  let p = 0;
  let k = Math.floor(n / h);
  while (k >= 0) {
    let p1 = 1;
    for (let j = 0; j < h; j++) p1 = ((n - k * h - j) * p1) / (n + k * h + j + 1);
    p = p1 * (1 - p);
    k -= 1;
  }
  return 2 * p;
}

/**
 * Proportion of lattice paths from (0,0) to (m,n) that do not stay strictly inside
 * |x/m − y/n| < h/lcm(m,n); g = gcd(m, n).
 */
export function outerProbInside(m0: number, n0: number, g: number, h: number): number {
  const m = Math.max(m0, n0);
  const n = Math.min(m0, n0);
  const mg = Math.floor(m / g);
  const ng = Math.floor(n / g);

  let minj = 0;
  let maxj = Math.min(Math.ceil(h / mg), n + 1);
  let curlen = maxj - minj;
  const lenA = Math.min(2 * maxj + 2, n + 1);
  const a = new Float64Array(lenA).fill(1);
  a.fill(0, minj, maxj);
  for (let i = 1; i <= m; i++) {
    const lastminj = minj;
    const lastlen = curlen;
    minj = Math.max(Math.floor((ng * i - h) / mg) + 1, 0);
    minj = Math.min(minj, n);
    maxj = Math.min(Math.ceil((ng * i + h) / mg), n + 1);
    if (maxj <= minj) return 1;
    let val = minj === 0 ? 0 : 1;
    const shift = minj - lastminj;
    for (let jj = 0; jj < maxj - minj; jj++) {
      const j = jj + minj;
      val = (a[jj + shift]! * i + val * j) / (i + j);
      a[jj] = val;
    }
    curlen = maxj - minj;
    if (lastlen > curlen) a.fill(1, maxj - minj, maxj - minj + (lastlen - curlen));
  }
  return a[maxj - minj - 1]!;
}

export interface ExactAttempt {
  /** False when scipy would give up on the exact p-value and use the asymptotic one. */
  readonly success: boolean;
  /** The statistic snapped to the lattice: h / lcm(n1, n2). */
  readonly d: number;
  readonly pvalue: number;
}

/** scipy's _attempt_exact_2kssamp for the two-sided alternative. */
export function attemptExactTwoSided(n1: number, n2: number, d: number): ExactAttempt {
  const g = gcd(n1, n2);
  const lcm = Math.floor(n1 / g) * n2;
  const h = roundHalfEven(d * lcm);
  const dSnapped = (h * 1.0) / lcm;
  if (h === 0) return { success: true, d: dSnapped, pvalue: 1 };
  const prob = n1 === n2 ? probOutsideSquare(n1, h) : outerProbInside(n1, n2, g, h);
  if (!Number.isFinite(prob) || !(prob >= 0 && prob <= 1)) return { success: false, d: dSnapped, pvalue: prob };
  return { success: true, d: dSnapped, pvalue: prob };
}
