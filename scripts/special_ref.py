"""Reference values for src/util/special.ts: 40-digit mpmath (an independent arbitrary-precision library), with
scipy's own double-precision answers alongside for comparison. Writes fixtures/special/mpmath-ref.json.

Run: /usr/bin/python3 scripts/special_ref.py
"""
import json

import mpmath as mp
import scipy
from scipy import special, stats

mp.mp.dps = 40


def f(x):
    return float(x)


def t_quantile(p, nu):
    # The root of the t CDF, 0.5 * I_{nu/(nu+t^2)}(nu/2, 1/2) in the lower tail, to 40 digits.
    p, nu = mp.mpf(p), mp.mpf(nu)
    if p == mp.mpf("0.5"):
        return mp.mpf(0)
    lower = p < mp.mpf("0.5")
    q = p if lower else 1 - p
    cdf = lambda t: mp.log(mp.betainc(nu / 2, mp.mpf("0.5"), 0, nu / (nu + t * t), regularized=True) / 2) - mp.log(q)
    start = mp.mpf(stats.t.ppf(float(q), float(nu)))
    root = mp.findroot(cdf, (start * mp.mpf("1.01"), start * mp.mpf("0.99")), solver="anderson")
    return root if lower else -root


ps = [1e-300, 1e-100, 1e-20, 1e-10, 1e-5, 1e-3, 0.01, 0.025, 0.05, 0.1, 0.2, 0.3, 0.4, 0.425, 0.45, 0.5, 0.55, 0.6, 0.75,
      0.9, 0.95, 0.975, 0.99, 0.999, 1 - 1e-10]


def z_quantile(p):
    # The root of the normal CDF (mpmath's ncdf, exact in the far tail where 2p - 1 would round to -1), solved on
    # the log scale of the smaller tail so the root finder's absolute tolerance means relative accuracy.
    start = mp.mpf(special.ndtri(p))
    if start == 0:
        return mp.mpf(0)
    tail = (lambda z: mp.log(mp.ncdf(z)) - mp.log(mp.mpf(p))) if p < 0.5 else (lambda z: mp.log(mp.ncdf(-z)) - mp.log(1 - mp.mpf(p)))
    return mp.findroot(tail, (start * mp.mpf("1.001"), start * mp.mpf("0.999")), solver="anderson")


normal = [{"p": p, "z": f(z_quantile(p)), "scipy": float(special.ndtri(p))} for p in ps]

tps = [1e-8, 1e-4, 0.001, 0.01, 0.025, 0.05, 0.1, 0.25, 0.4, 0.5, 0.6, 0.9, 0.95, 0.975, 0.99, 0.999]
nus = [0.5, 1, 2, 2.5, 3, 4.05696724876477, 6.49025420853353, 10, 30, 100, 1000]
student = [{"p": p, "nu": nu, "t": f(t_quantile(p, nu)), "scipy": float(stats.t.ppf(p, nu))} for nu in nus for p in tps]

xs = [1e-8, 0.01, 0.1, 0.5, 1, 1.5, 2, 2.5, 3, 4.5, 7.25, 10, 33.3, 100, 1e3, 1e5, 1e8]
lgamma = [{"x": x, "lgamma": f(mp.loggamma(x)), "scipy": float(special.gammaln(x))} for x in xs]

gas = [0.05, 0.5, 1, 1.5, 2.5, 5, 10, 50, 200]
gxs = [0.001, 0.1, 0.5, 1, 2, 5, 10, 25, 50, 100, 300, 1000]
upper = [{"a": a, "x": x, "q": f(mp.gammainc(a, x, mp.inf, regularized=True)), "scipy": float(special.gammaincc(a, x))}
         for a in gas for x in gxs]

cdf_xs = [-38, -20, -10, -5, -2, -1, -0.1, 0, 0.3, 1, 2.5, 5, 8]
normal_cdf = [{"x": x, "p": f(mp.ncdf(x)), "scipy": float(stats.norm.cdf(x))} for x in cdf_xs]
t_cdf = [{"t": t, "nu": nu, "p": f(mp.betainc(mp.mpf(nu) / 2, mp.mpf("0.5"), 0, mp.mpf(nu) / (nu + mp.mpf(t) ** 2), regularized=True) / 2
                                    if t <= 0 else 1 - mp.betainc(mp.mpf(nu) / 2, mp.mpf("0.5"), 0, mp.mpf(nu) / (nu + mp.mpf(t) ** 2), regularized=True) / 2),
          "scipy": float(stats.t.cdf(t, nu))}
         for nu in [1, 2.5, 4, 10, 30, 200] for t in [-50, -8, -3, -1.5, -0.2, 0, 0.7, 2, 6]]

# The coefficients of ln Gamma(2 + z) = (1 - euler) z + sum_k (-1)^k (zeta(k) - 1) / k z^k that special.ts uses.
near_two = [mp.nstr((-1) ** k * (mp.zeta(k) - 1) / k, 17) for k in range(2, 31)]
print("1 - euler:", mp.nstr(1 - mp.euler, 20))
print("near two:", ", ".join(near_two))

out = {
    "source": f"mpmath {mp.__version__} at 40 digits; scipy {scipy.__version__} for comparison",
    "normalQuantile": normal,
    "studentTQuantile": student,
    "logGamma": lgamma,
    "upperGammaRegularized": upper,
    "logGammaNearTwo": [float(c) for c in near_two],
    "normalCdf": normal_cdf,
    "studentTCdf": t_cdf,
}
with open("fixtures/special/mpmath-ref.json", "w") as fh:
    json.dump(out, fh, indent=1)
print(len(normal), len(student), len(lgamma), len(upper))
