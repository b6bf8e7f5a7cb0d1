# Regenerate with: /usr/bin/python3 scripts/crps_ref.py > fixtures/risk/crps-ref.json   (needs Debian python3-scipy)
"""Reference numbers for the CRPS of quantile forecasts, computed independently of the TypeScript quadrature:
the CRPS as the integral over x of (F(x) - 1{x >= y})^2 (scipy.integrate.quad), where F is the step CDF that
puts mass w_k on q_k, w_k the width of level k's cell (midpoints between neighbouring levels, 0 and 1 at the
ends). For a perfectly calibrated N(0, 1) forecast, the expected CRPS integrates (F - Phi)^2 + Phi (1 - Phi)."""
import json
import numpy as np
from scipy import integrate, stats

def cells(levels):
    edges = [0.0] + [(a + b) / 2 for a, b in zip(levels[:-1], levels[1:])] + [1.0]
    return np.diff(edges)

def step_cdf(q, w):
    order = np.argsort(q)
    qs, cum = np.asarray(q)[order], np.cumsum(np.asarray(w)[order])
    return qs, lambda x: 0.0 if x < qs[0] else cum[np.searchsorted(qs, x, side="right") - 1]

def integral(f, points, lo, hi):
    """quad over [lo, hi] split at the step points, where the integrand jumps."""
    grid = sorted(set([lo, hi] + [p for p in points if lo < p < hi]))
    return sum(integrate.quad(f, a, b, limit=200, epsabs=1e-13, epsrel=1e-12)[0] for a, b in zip(grid[:-1], grid[1:]))

def crps(y, q, levels):
    qs, F = step_cdf(q, cells(levels))
    lo, hi = min(qs[0], y) - 1.0, max(qs[-1], y) + 1.0
    return integral(lambda x: (F(x) - (1.0 if x >= y else 0.0)) ** 2, list(qs) + [y], lo, hi)

def calibrated_normal(levels):
    qs, F = step_cdf(stats.norm.ppf(levels), cells(levels))
    g = lambda x: (F(x) - stats.norm.cdf(x)) ** 2 + stats.norm.cdf(x) * stats.norm.sf(x)
    return integral(g, list(qs), -12.0, 12.0)

LEVEL_SETS = {
    "0.05,0.5,0.95": [0.05, 0.5, 0.95],
    "0.1,0.5,0.9": [0.1, 0.5, 0.9],
    "0.01,0.05,0.5": [0.01, 0.05, 0.5],
    "0.025,0.975": [0.025, 0.975],
    "0.05,0.25,0.5,0.75,0.95": [0.05, 0.25, 0.5, 0.75, 0.95],
    "99 even": [k / 100 for k in range(1, 100)],
}
normal = {name: {"levels": L, "expected": calibrated_normal(L), "relativeError": calibrated_normal(L) * np.sqrt(np.pi) - 1} for name, L in LEVEL_SETS.items()}

rng = np.random.default_rng(20240522)
levels = [0.05, 0.1, 0.5, 0.9, 0.95]
points = []
for i in range(40):
    q = np.sort(rng.normal(0, 2, size=len(levels)))
    y = float(rng.normal(0, 2))
    points.append({"actual": y, "quantiles": q.tolist(), "crps": crps(y, q, levels)})

print(json.dumps({"truth": 1 / np.sqrt(np.pi), "normal": normal, "random": {"levels": levels, "points": points}}, indent=1))
