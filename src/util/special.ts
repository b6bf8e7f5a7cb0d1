/** Special functions the statistics need (normal and Student-t quantiles, log-gamma, incomplete gamma), in double precision. */

const EPS = 2.220446049250313e-16;
const TINY = 1e-300;
const MAX_TERMS = 100_000;

/** Evaluates c[0] + c[1] x + ... by Horner's rule. */
function poly(c: readonly number[], x: number): number {
  let s = 0;
  for (let i = c.length - 1; i >= 0; i--) s = s * x + c[i];
  return s;
}

// Wichura's algorithm AS 241 (PPND16), Applied Statistics 37 (1988): relative error about 1e-16.
const A = [
  3.387132872796366608, 133.14166789178437745, 1971.5909503065514427, 13731.693765509461125, 45921.953931549871457,
  67265.770927008700853, 33430.575583588128105, 2509.0809287301226727,
];
const B = [
  1, 42.313330701600911252, 687.1870074920579083, 5394.1960214247511077, 21213.794301586595867, 39307.89580009271061,
  28729.085735721942674, 5226.495278852854561,
];
const C = [
  1.42343711074968357734, 4.6303378461565452959, 5.7694972214606914055, 3.64784832476320460504, 1.27045825245236838258,
  0.24178072517745061177, 0.0227238449892691845833, 7.7454501427834140764e-4,
];
const D = [
  1, 2.05319162663775882187, 1.6763848301838038494, 0.68976733498510000455, 0.14810397642748007459,
  0.0151986665636164571966, 5.475938084995344946e-4, 1.05075007164441684324e-9,
];
const E = [
  6.6579046435011037772, 5.4637849111641143699, 1.7848265399172913358, 0.29656057182850489123, 0.026532189526576123093,
  0.0012426609473880784386, 2.71155556874348757815e-5, 2.01033439929228813265e-7,
];
const F = [
  1, 0.59983220655588793769, 0.13692988092273580531, 0.0148753612908506148525, 7.868691311456132591e-4,
  1.8463183175100546818e-5, 1.4215117583164458887e-7, 2.04426310338993978564e-15,
];

/**
 * The standard normal quantile (inverse CDF), Wichura's AS 241.
 * @param p - a probability in [0, 1]; 0 and 1 give -Infinity and Infinity, anything else NaN
 */
export function normalQuantile(p: number): number {
  if (!(p >= 0 && p <= 1)) return Number.NaN;
  if (p === 0) return -Infinity;
  if (p === 1) return Infinity;
  const q = p - 0.5;
  if (Math.abs(q) <= 0.425) {
    const r = 0.180625 - q * q;
    return (q * poly(A, r)) / poly(B, r);
  }
  let r = Math.sqrt(-Math.log(q < 0 ? p : 1 - p));
  const value = r <= 5 ? poly(C, (r -= 1.6)) / poly(D, r) : poly(E, (r -= 5)) / poly(F, r);
  return q < 0 ? -value : value;
}

// Lanczos' series with g = 671/128 and 14 terms (Numerical Recipes, 3rd edition, `gammln`): about 1e-15 relative.
const LANCZOS = [
  57.1562356658629235, -59.5979603554754912, 14.1360979747417471, -0.491913816097620199, 0.339946499848118887e-4,
  0.465236289270485756e-4, -0.983744753048795646e-4, 0.158088703224912494e-3, -0.210264441724104883e-3,
  0.217439618115212643e-3, -0.16431810653676389e-3, 0.844182239838527433e-4, -0.261908384015814087e-4,
  0.368991826595316234e-5,
];

// ln Γ(2 + z) = (1 - γ) z + Σ_{k>=2} (-1)^k (ζ(k) - 1) / k z^k, coefficients k = 2..30 from mpmath
// (scripts/special_ref.py prints them); for |z| <= 1/2 the terms fall like 4^-k, so 30 terms reach 1e-17.
const ONE_MINUS_EULER_GAMMA = 0.42278433509846713939;
const NEAR_TWO = [
  0.32246703342411322, -0.067352301053198095, 0.020580808427784548, -0.0073855510286739853, 0.0028905103307415233,
  -0.001192753911703261, 0.00050966952474304242, -0.00022315475845357938, 9.9457512781808534e-5, -4.4926236738133142e-5,
  2.0507212775670692e-5, -9.4394882752683959e-6, 4.3748667899074878e-6, -2.0392157538013662e-6, 9.5514121304074198e-7,
  -4.492469198764566e-7, 2.1207184805554666e-7, -1.00432248239681e-7, 4.7698101693639806e-8, -2.2711094608943165e-8,
  1.0838659214896954e-8, -5.1834750419700467e-9, 2.4836745438024783e-9, -1.1921401405860912e-9, 5.731367241678862e-10,
  -2.7595228851242331e-10, 1.3304764374244489e-10, -6.4229645638381e-11, 3.1044247747322273e-11,
];

/** ln Γ(2 + z) for |z| <= 1/2: small terms, so the absolute error stays near one rounding. */
function logGammaNearTwo(z: number): number {
  return z * (ONE_MINUS_EULER_GAMMA + z * poly(NEAR_TWO, z));
}

/**
 * ln Γ(x) for x > 0. Below 20 it is brought to [1.5, 2.5) by Γ(x + 1) = x Γ(x) and summed as a power series
 * around 2: smooth to about one rounding, which matters to optimizers that difference it (the Student-t degrees of
 * freedom of GARCH fits). From 20 on, Lanczos' series.
 * @param x - a positive number (NaN otherwise)
 */
export function logGamma(x: number): number {
  if (!(x > 0)) return Number.NaN;
  if (x === Infinity) return Infinity;
  if (x < 0.5) return logGammaNearTwo(x) - Math.log(x) - Math.log1p(x);
  if (x < 1.5) return logGammaNearTwo(x - 1) - Math.log(x);
  if (x < 20) {
    let y = x;
    let product = 1;
    while (y >= 2.5) product *= --y;
    return logGammaNearTwo(y - 2) + Math.log(product);
  }
  let y = x;
  const t = x + 5.2421875;
  let series = 0.999999999999997092;
  for (const c of LANCZOS) series += c / ++y;
  return (x + 0.5) * Math.log(t) - t + Math.log((2.5066282746310005 * series) / x);
}

/** exp(a ln x - x - ln Γ(a)): the factor both incomplete-gamma expansions share. */
function gammaPrefactor(a: number, x: number): number {
  return Math.exp(a * Math.log(x) - x - logGamma(a));
}

/** P(a, x) by its power series (converges fast for x < a + 1). */
function lowerSeries(a: number, x: number): number {
  let term = 1 / a;
  let sum = term;
  for (let n = 1; n < MAX_TERMS; n++) {
    term *= x / (a + n);
    sum += term;
    if (Math.abs(term) < Math.abs(sum) * EPS) break;
  }
  return sum * gammaPrefactor(a, x);
}

/** Q(a, x) by its continued fraction, modified Lentz (converges fast for x >= a + 1), accurate far into the tail. */
function upperFraction(a: number, x: number): number {
  let b = x + 1 - a;
  let c = 1 / TINY;
  let d = 1 / b;
  let h = d;
  for (let i = 1; i < MAX_TERMS; i++) {
    const an = -i * (i - a);
    b += 2;
    d = an * d + b;
    if (Math.abs(d) < TINY) d = TINY;
    c = b + an / c;
    if (Math.abs(c) < TINY) c = TINY;
    d = 1 / d;
    const delta = d * c;
    h *= delta;
    if (Math.abs(delta - 1) <= EPS) break;
  }
  return gammaPrefactor(a, x) * h;
}

/**
 * The regularized upper incomplete gamma function Q(a, x) = Γ(a, x) / Γ(a), with relative accuracy in the far tail
 * (the chi-square survival function is Q(df/2, x/2)).
 * @param a - shape, > 0
 * @param x - >= 0
 */
export function upperGammaRegularized(a: number, x: number): number {
  if (!(a > 0) || !(x >= 0)) return Number.NaN;
  if (x === 0) return 1;
  if (x === Infinity) return 0;
  return x < a + 1 ? 1 - lowerSeries(a, x) : upperFraction(a, x);
}

/** The continued fraction of the incomplete beta function (modified Lentz). */
function betaFraction(a: number, b: number, x: number): number {
  let c = 1;
  let d = 1 - ((a + b) * x) / (a + 1);
  if (Math.abs(d) < TINY) d = TINY;
  d = 1 / d;
  let h = d;
  for (let m = 1; m < MAX_TERMS; m++) {
    const m2 = 2 * m;
    for (const aa of [
      (m * (b - m) * x) / ((a + m2 - 1) * (a + m2)),
      (-(a + m) * (a + b + m) * x) / ((a + m2) * (a + m2 + 1)),
    ]) {
      d = 1 + aa * d;
      if (Math.abs(d) < TINY) d = TINY;
      c = 1 + aa / c;
      if (Math.abs(c) < TINY) c = TINY;
      d = 1 / d;
      h *= d * c;
    }
    if (Math.abs(d * c - 1) <= EPS) break;
  }
  return h;
}

/**
 * The regularized incomplete beta function I_x(a, b), given x and y = 1 - x separately (so neither loses digits).
 */
function betaRegularized(a: number, b: number, x: number, y: number): number {
  if (x <= 0) return 0;
  if (y <= 0) return 1;
  const front = Math.exp(logGamma(a + b) - logGamma(a) - logGamma(b) + a * Math.log(x) + b * Math.log(y));
  return x < (a + 1) / (a + b + 2) ? (front * betaFraction(a, b, x)) / a : 1 - (front * betaFraction(b, a, y)) / b;
}

/**
 * The standard normal CDF P(Z <= x), through the upper incomplete gamma (erfc(z) = Q(1/2, z^2)), so both tails keep
 * their relative accuracy.
 * @param x - any number
 */
export function normalCdf(x: number): number {
  if (Number.isNaN(x)) return Number.NaN;
  const tail = 0.5 * upperGammaRegularized(0.5, (x * x) / 2);
  return x < 0 ? tail : 1 - tail;
}

/**
 * The Student-t CDF P(T <= t) with `nu` degrees of freedom (R's `pt`), through the incomplete beta function.
 * @param t - any number
 * @param nu - degrees of freedom, > 0
 */
export function studentTCdf(t: number, nu: number): number {
  if (Number.isNaN(t) || !(nu > 0)) return Number.NaN;
  if (!Number.isFinite(t)) return t > 0 ? 1 : 0;
  const t2 = t * t;
  const tail = 0.5 * betaRegularized(nu / 2, 0.5, nu / (nu + t2), t2 / (nu + t2));
  return t > 0 ? 1 - tail : tail;
}

/** The Student-t lower tail P(T <= t) for t <= 0, and the density at t. */
function tLowerTail(t: number, nu: number): { cdf: number; pdf: number } {
  const t2 = t * t;
  const cdf = 0.5 * betaRegularized(nu / 2, 0.5, nu / (nu + t2), t2 / (nu + t2));
  const pdf = Math.exp(
    logGamma((nu + 1) / 2) - logGamma(nu / 2) - 0.5 * Math.log(nu * Math.PI) - ((nu + 1) / 2) * Math.log1p(t2 / nu),
  );
  return { cdf, pdf };
}

/**
 * The Student-t quantile with `nu` degrees of freedom: Newton's method on the exact CDF (through the incomplete beta
 * function), kept inside a bracket that bisection narrows whenever a step would leave it.
 * @param p - a probability in [0, 1]
 * @param nu - degrees of freedom, > 0
 */
export function studentTQuantile(p: number, nu: number): number {
  if (!(p >= 0 && p <= 1) || !(nu > 0)) return Number.NaN;
  if (p === 0) return -Infinity;
  if (p === 1) return Infinity;
  if (p === 0.5) return 0;
  // Symmetry: solve in the lower tail, where the CDF keeps its relative precision.
  if (p > 0.5) return -studentTQuantile(1 - p, nu);
  let hi = 0;
  let lo = Math.min(normalQuantile(p), -1);
  while (tLowerTail(lo, nu).cdf > p) {
    hi = lo;
    lo *= 2;
  }
  let t = lo;
  for (let i = 0; i < 200; i++) {
    const { cdf, pdf } = tLowerTail(t, nu);
    if (cdf === p) return t;
    if (cdf < p) lo = t;
    else hi = t;
    let next = t - (cdf - p) / pdf;
    if (!(next > lo && next < hi)) next = (lo + hi) / 2;
    if (Math.abs(next - t) <= 4 * EPS * Math.abs(t)) return next;
    t = next;
  }
  return t;
}
