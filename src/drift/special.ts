/**
 * Special functions the drift tests need: log-gamma, the regularized incomplete gamma
 * functions and the chi-square survival function. Pure double-precision maths.
 *
 * The incomplete gamma follows the classic split (power series below x < a + 1, Legendre
 * continued fraction above) with a prefactor x^a e^-x / Γ(a) computed through the Stirling
 * correction for a ≥ 10, so it keeps ~1e-13 relative accuracy far into the tail (p ≈ 1e-300),
 * where `exp(a ln x − x − lnΓ(a))` alone would lose digits to cancellation for large a.
 */

const LN_SQRT_2PI = 0.9189385332046728; // ln(√(2π))
const EPS = 2.220446049250313e-16;
const MAX_ITER_BASE = 2000;

/**
 * Stirling correction S(a) = lnΓ(a) − [(a − ½) ln a − a + ln√(2π)], for a ≥ 10
 * (truncated asymptotic series; the first omitted term is < 1e-17 at a = 10).
 */
export function stirlingCorrection(a: number): number {
  const r = 1 / a;
  const r2 = r * r;
  return (
    r *
    (1 / 12 +
      r2 *
        (-1 / 360 +
          r2 * (1 / 1260 + r2 * (-1 / 1680 + r2 * (1 / 1188 + r2 * (-691 / 360360 + r2 * (1 / 156)))))))
  );
}

/** ln Γ(x) for x > 0 (relative error ~1e-15 away from the zeros at 1 and 2). */
export function lgamma(x: number): number {
  if (Number.isNaN(x) || x <= 0) return Number.NaN;
  if (x === Number.POSITIVE_INFINITY) return Number.POSITIVE_INFINITY;
  if (x === 1 || x === 2) return 0;
  if (x >= 10) return (x - 0.5) * Math.log(x) - x + LN_SQRT_2PI + stirlingCorrection(x);
  // Shift up with Γ(x) = Γ(x + k) / (x (x+1) … (x+k−1)); at most 10 factors, no overflow.
  let prod = 1;
  let y = x;
  while (y < 10) {
    prod *= y;
    y += 1;
  }
  return (y - 0.5) * Math.log(y) - y + LN_SQRT_2PI + stirlingCorrection(y) - Math.log(prod);
}

/** log(1 + t) − t, accurate also for small |t| (no cancellation). t > −1. */
export function log1pmx(t: number): number {
  if (Math.abs(t) < 0.5) {
    // −t²/2 + t³/3 − t⁴/4 + … ; |t| < 0.5 converges to eps in < 50 terms.
    let term = t;
    let sum = 0;
    for (let k = 2; k < 200; k++) {
      term *= -t;
      const add = term / k;
      sum += add;
      if (Math.abs(add) <= EPS * Math.abs(sum)) break;
    }
    return sum;
  }
  return Math.log1p(t) - t;
}

/** ln( x^a e^−x / Γ(a) ), the common prefactor of the incomplete gamma expansions. */
function logGammaPrefactor(a: number, x: number): number {
  if (a >= 10) {
    // a ln x − x − lnΓ(a) = a·[ln(x/a) − (x−a)/a] + ½ ln(a/2π) − S(a): no large cancelling terms.
    const t = (x - a) / a;
    // Near x ≈ a use the series for ln(1+t) − t; far from it, forming 1 + t would cost digits.
    const core = Math.abs(t) < 0.5 ? a * log1pmx(t) : a * Math.log(x / a) + (a - x);
    return core + 0.5 * Math.log(a) - LN_SQRT_2PI - stirlingCorrection(a);
  }
  return a * Math.log(x) - x - lgamma(a);
}

function maxIter(a: number, x: number): number {
  return MAX_ITER_BASE + Math.ceil(20 * Math.sqrt(Math.max(a, x)));
}

/** Regularized lower incomplete gamma P(a, x) by its power series (DLMF 8.11.4); x < a + 1. */
function lowerSeries(a: number, x: number): number {
  const logPre = logGammaPrefactor(a, x);
  if (logPre < -745.2) return 0;
  let r = a;
  let term = 1;
  let sum = 1;
  const limit = maxIter(a, x);
  for (let i = 0; i < limit; i++) {
    r += 1;
    term *= x / r;
    sum += term;
    if (term <= EPS * sum) break;
  }
  return (Math.exp(logPre) * sum) / a;
}

/** Regularized upper incomplete gamma Q(a, x) by the Legendre continued fraction (modified Lentz); x ≥ a + 1. */
function upperContinuedFraction(a: number, x: number): number {
  const logPre = logGammaPrefactor(a, x);
  if (logPre < -745.2) return 0;
  const tiny = 1e-300;
  let b = x + 1 - a;
  let c = 1 / tiny;
  let d = 1 / b;
  let h = d;
  const limit = maxIter(a, x);
  for (let i = 1; i <= limit; i++) {
    const an = -i * (i - a);
    b += 2;
    d = an * d + b;
    if (Math.abs(d) < tiny) d = tiny;
    c = b + an / c;
    if (Math.abs(c) < tiny) c = tiny;
    d = 1 / d;
    const delta = d * c;
    h *= delta;
    if (Math.abs(delta - 1) <= EPS) break;
  }
  // Multiply in log space: h·e^logPre may be representable even when e^logPre alone is not.
  return Math.exp(logPre + Math.log(h));
}

/** Regularized upper incomplete gamma Q(a, x) = Γ(a, x)/Γ(a) (scipy.special.gammaincc). */
export function gammaincc(a: number, x: number): number {
  if (Number.isNaN(a) || Number.isNaN(x) || a < 0 || x < 0) return Number.NaN;
  if (a === 0) return x > 0 ? 0 : Number.NaN;
  if (x === 0) return 1;
  if (!Number.isFinite(a)) return Number.isFinite(x) ? 1 : Number.NaN;
  if (!Number.isFinite(x)) return 0;
  if (x < a + 1) return 1 - lowerSeries(a, x);
  return upperContinuedFraction(a, x);
}

/** Regularized lower incomplete gamma P(a, x) (scipy.special.gammainc). */
export function gammainc(a: number, x: number): number {
  if (Number.isNaN(a) || Number.isNaN(x) || a < 0 || x < 0) return Number.NaN;
  if (a === 0) return x > 0 ? 1 : Number.NaN;
  if (x === 0) return 0;
  if (!Number.isFinite(a)) return Number.isFinite(x) ? 0 : Number.NaN;
  if (!Number.isFinite(x)) return 1;
  if (x < a + 1) return lowerSeries(a, x);
  return 1 - upperContinuedFraction(a, x);
}

/** Chi-square survival function P(X ≥ x) with `df` degrees of freedom (scipy.special.chdtrc). */
export function chi2Sf(x: number, df: number): number {
  if (Number.isNaN(x) || Number.isNaN(df)) return Number.NaN;
  if (x < 0) return Number.NaN; // scipy's chdtrc: domain error
  return gammaincc(df / 2, x / 2);
}
