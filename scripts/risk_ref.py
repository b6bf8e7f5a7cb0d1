# Regenerate with: /usr/bin/python3 scripts/risk_ref.py > fixtures/risk/scipy-ref.json   (needs Debian python3-scipy, python3-numpy)
"""Reference numbers from numpy/scipy for stockcast's volatility estimators, HAR regression, historical VaR,
VaR backtests (Kupiec, Christoffersen) and probabilistic metrics, written independently of the TypeScript code.
Data: fixtures/sp500-2000.csv (S&P 500 daily OHLC); returns are 100 x log close-to-close returns."""
import csv, json, sys
import numpy as np
from scipy import stats
from scipy.special import xlogy

rows = list(csv.DictReader(open("fixtures/sp500-2000.csv")))
O, H, L, C = (np.array([float(r[k]) for r in rows]) for k in ("open", "high", "low", "close"))
PPY = 252.0

def annualize(var):
    return 100 * np.sqrt(PPY * np.maximum(var, 0))

def trailing(est, span, n):
    """Row t (from the warmup on) as in the docs: close-to-close and Yang-Zhang use rows t-span..t, the others t-span+1..t."""
    out = []
    if est == "close-to-close":
        for t in range(span, n):
            r = np.log(C[t - span + 1:t + 1] / C[t - span:t])
            out.append(np.mean(r ** 2))
    elif est == "parkinson":
        for t in range(span - 1, n):
            hl = np.log(H[t - span + 1:t + 1] / L[t - span + 1:t + 1])
            out.append(np.mean(hl ** 2) / (4 * np.log(2)))
    elif est == "garman-klass":
        for t in range(span - 1, n):
            s = slice(t - span + 1, t + 1)
            out.append(np.mean(0.5 * np.log(H[s] / L[s]) ** 2 - (2 * np.log(2) - 1) * np.log(C[s] / O[s]) ** 2))
    elif est == "yang-zhang":
        k = 0.34 / (1.34 + (span + 1) / (span - 1))
        for t in range(span, n):
            s = slice(t - span + 1, t + 1)
            o = np.log(O[s] / C[t - span:t])
            c = np.log(C[s] / O[s])
            rs = np.log(H[s] / C[s]) * np.log(H[s] / O[s]) + np.log(L[s] / C[s]) * np.log(L[s] / O[s])
            out.append(np.var(o, ddof=1) + k * np.var(c, ddof=1) + (1 - k) * np.mean(rs))
    return annualize(np.array(out)).tolist()

N_VOL = 300
vol = [{"estimator": e, "span": s, "rows": N_VOL, "values": trailing(e, s, N_VOL)}
       for e in ("close-to-close", "parkinson", "garman-klass", "yang-zhang") for s in (2, 5, 22)]

# HAR on the full-sample 5-day close-to-close volatility: y[t+h] on 1, y[t], mean(y[t-4..t]), mean(y[t-21..t]).
y = np.array(trailing("close-to-close", 5, len(C)))
har = []
for h in (1, 5):
    t = np.arange(21, len(y) - h)
    X = np.column_stack([np.ones(len(t)), y[t], [y[i - 4:i + 1].mean() for i in t], [y[i - 21:i + 1].mean() for i in t]])
    b, *_ = np.linalg.lstsq(X, y[t + h], rcond=None)
    resid = y[t + h] - X @ b
    har.append({"horizon": h, "coefficients": b.tolist(), "r2": 1 - resid @ resid / np.sum((y[t + h] - y[t + h].mean()) ** 2), "observations": len(t)})

# Historical-simulation VaR over the last 1000 returns with a 250-return span, and its backtests.
r = 100 * np.diff(np.log(C))
def kupiec(x, T, p):
    lr = -2 * (xlogy(T - x, 1 - p) + xlogy(x, p)) + 2 * (xlogy(T - x, 1 - x / T) + xlogy(x, x / T))
    return {"statistic": lr, "pValue": stats.chi2.sf(lr, 1)}
def christoffersen(hits):
    a, b = hits[:-1], hits[1:]
    n00, n01 = np.sum((a == 0) & (b == 0)), np.sum((a == 0) & (b == 1))
    n10, n11 = np.sum((a == 1) & (b == 0)), np.sum((a == 1) & (b == 1))
    p01 = n01 / (n00 + n01) if n00 + n01 else 0.0
    p11 = n11 / (n10 + n11) if n10 + n11 else 0.0
    p = (n01 + n11) / (n00 + n01 + n10 + n11)
    lr = -2 * (xlogy(n00 + n10, 1 - p) + xlogy(n01 + n11, p)) + 2 * (xlogy(n00, 1 - p01) + xlogy(n01, p01) + xlogy(n10, 1 - p11) + xlogy(n11, p11))
    return {"statistic": float(lr), "pValue": float(stats.chi2.sf(lr, 1)), "transitions": [int(n00), int(n01), int(n10), int(n11)]}
var_cases = []
SPAN, TEST = 250, 1000
x = r[-(TEST + SPAN):]
for p in (0.01, 0.05):
    v = np.array([np.quantile(x[t - SPAN:t], p) for t in range(SPAN, len(x))])
    real = x[SPAN:]
    hits = (real < v).astype(int)
    k, c = kupiec(int(hits.sum()), TEST, p), christoffersen(hits)
    var_cases.append({"level": p, "span": SPAN, "returns": "the last 1250 of 100 x diff(log(close))", "valueAtRisk": v.tolist(),
                      "exceedances": int(hits.sum()), "kupiec": k, "independence": c,
                      "conditionalCoverage": {"statistic": k["statistic"] + c["statistic"], "pValue": stats.chi2.sf(k["statistic"] + c["statistic"], 2)}})

chi2 = [{"x": xv, "df": df, "sf": stats.chi2.sf(xv, df)} for df in (1, 2, 3) for xv in (0.0, 0.1, 1.0, 3.841458820694124, 10.0, 50.0, 200.0)]

# Probabilistic metrics on seeded random quantile forecasts.
rng = np.random.default_rng(7)
levels = np.array([0.05, 0.1, 0.5, 0.9, 0.95])
n = 40
actual = rng.normal(size=n)
centre = rng.normal(scale=0.3, size=n)
q = centre[:, None] + stats.norm.ppf(levels)[None, :] * rng.uniform(0.5, 1.5, size=n)[:, None]
e = actual[:, None] - q
pin = np.mean(np.maximum(levels * e, (levels - 1) * e), axis=0)
intervals = []
for lo, hi in ((0, 4), (1, 3)):
    l, u, a = q[:, lo], q[:, hi], 2 * levels[lo]
    score = (u - l) + (2 / a) * (l - actual) * (actual < l) + (2 / a) * (actual - u) * (actual > u)
    intervals.append({"lower": levels[lo], "upper": levels[hi], "coverage": float(np.mean((actual >= l) & (actual <= u))), "meanWidth": float(np.mean(u - l)), "winkler": float(np.mean(score))})
prob = {"levels": levels.tolist(), "actual": actual.tolist(), "quantiles": q.tolist(), "pinball": pin.tolist(), "crps": float(2 * pin.mean()), "intervals": intervals}

# Quantiles of unit-variance innovations, for VaR from variance forecasts: z_p, and t_nu(p) sqrt((nu - 2) / nu).
quantiles = [{"level": p, "distribution": "normal", "z": stats.norm.ppf(p)} for p in (0.01, 0.05, 0.5, 0.975)]
quantiles += [{"level": p, "distribution": "student-t", "nu": nu, "z": stats.t.ppf(p, nu) * np.sqrt((nu - 2) / nu)}
              for nu in (2.5, 4.05696724876477, 6.49025420853353, 30.0) for p in (0.01, 0.05, 0.975)]

json.dump({"numpy": np.__version__, "scipy": __import__("scipy").__version__, "volatility": vol, "har": har, "var": var_cases,
           "chi2": chi2, "probabilistic": prob, "quantiles": quantiles}, sys.stdout, default=float)
