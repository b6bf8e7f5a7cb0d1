# Regenerate with: /usr/bin/python3 scripts/har_ref.py
# (needs Debian python3-pandas and python3-statsmodels; writes fixtures/realized/)
"""Least-squares reference for stockcast's HAR family, from statsmodels OLS on regressors built with pandas.

Data: 700 seeded days of 78 five-minute returns each, with a persistent log-variance (a HAR process in logs) and
occasional jumps; pandas turns each day's returns into rv, bv, jump, rsPos, rsNeg, rq (written with full precision to
fixtures/realized/daily-measures.csv, stamped on consecutive business days).

Regressors at origin row t are trailing means over 1, 5 and 22 rows ending at t (pandas rolling); the target is rv[t+h]
or the mean of rv[t+1..t+h] (rolling(h).mean().shift(-h)):
  har      rv_d, rv_w, rv_m                       har-log  ln of those means; target ln(target)
  har-j    means of c = rv - jump and of jump      shar     rsPos_d, rsNeg_d, rv_w, rv_m
  harq     rv_d, rv_d * sqrt(rq_d), rv_w, rv_m
Full-sample fits: coefficients, R^2 and the residual variance (mse_resid). Rolling forecasts: at origin t (the first
row forecast) statsmodels fits on the regression rows whose targets lie before t, within the last 250 rows for a
sliding window, and the forecast is the fitted row at t - 1: floored at the smallest positive target of the fit's
rows for level models, exp(xb + mse_resid / 2) for har-log."""
import json, math, os
import numpy as np
import pandas as pd
import statsmodels.api as sm

rng = np.random.default_rng(2024)
out_dir = "fixtures/realized"
os.makedirs(out_dir, exist_ok=True)

# Daily log-variance with HAR dynamics, then 78 intraday returns a day, and jumps on about 10% of days.
days, bars = 700, 78
lv = np.full(days + 22, math.log(1e-4))
for t in range(22, days + 22):
    har = 0.35 * lv[t - 1] + 0.35 * lv[t - 5:t].mean() + 0.2 * lv[t - 22:t].mean()
    lv[t] = -9.21 * 0.1 + har + 0.35 * rng.standard_normal()
sigma2 = np.exp(lv[22:])
returns = rng.standard_normal((days, bars)) * np.sqrt(sigma2[:, None] / bars)
jumps = rng.random(days) < 0.1
returns[jumps, rng.integers(0, bars, jumps.sum())] += np.sqrt(sigma2[jumps]) * rng.standard_normal(jumps.sum())
frame = pd.DataFrame({"day": np.repeat(np.arange(days), bars), "r": returns.ravel()})
g = frame.groupby("day")["r"]
rv = g.apply(lambda r: float(np.sum(r ** 2)))
bv = g.apply(lambda r: float(math.pi / 2 * np.sum(np.abs(r.to_numpy()[1:]) * np.abs(r.to_numpy()[:-1]))))
daily = pd.DataFrame({
    "rv": rv, "bv": bv, "jump": np.maximum(rv - bv, 0.0),
    "rsPos": g.apply(lambda r: float(np.sum(r[r > 0] ** 2))), "rsNeg": g.apply(lambda r: float(np.sum(r[r < 0] ** 2))),
    "rq": g.apply(lambda r: float(len(r) / 3 * np.sum(r ** 4))),
})
daily.index = pd.bdate_range("2020-01-01", periods=days)
csv = daily.copy()
csv.insert(0, "date", daily.index.strftime("%Y-%m-%d"))
csv.to_csv(f"{out_dir}/daily-measures.csv", index=False, float_format="%.17g")
daily = pd.read_csv(f"{out_dir}/daily-measures.csv", index_col="date")  # exactly the numbers stockcast reads

SPANS = (1, 5, 22)
TERMS = {
    "har": ["const", "daily", "weekly", "monthly"], "har-log": ["const", "daily", "weekly", "monthly"],
    "har-j": ["const", "cDaily", "cWeekly", "cMonthly", "jDaily", "jWeekly", "jMonthly"],
    "shar": ["const", "posDaily", "negDaily", "weekly", "monthly"],
    "harq": ["const", "daily", "dailyQ", "weekly", "monthly"],
}


def design(variant, h, mean):
    m = lambda col: [daily[col].rolling(s).mean() for s in SPANS]
    if variant in ("har", "har-log"):
        cols = m("rv")
    elif variant == "har-j":
        daily["c"] = daily["rv"] - daily["jump"]
        cols = m("c") + m("jump")
    elif variant == "shar":
        cols = [daily["rsPos"], daily["rsNeg"]] + m("rv")[1:]
    else:
        d, w, mo = m("rv")
        cols = [d, d * np.sqrt(daily["rq"]), w, mo]
    y = daily["rv"].rolling(h).mean().shift(-h) if mean else daily["rv"].shift(-h)
    x = pd.concat(cols, axis=1)
    if variant == "har-log":
        x, y = np.log(x), np.log(y)
    x.columns = TERMS[variant][1:]
    return sm.add_constant(x), y


cases, rolling = [], []
for variant in TERMS:
    for h, mean in [(1, False), (5, True), (5, False), (22, True)]:
        x, y = design(variant, h, mean)
        ok = x.notna().all(axis=1) & y.notna()
        fit = sm.OLS(y[ok], x[ok]).fit()
        cases.append({"variant": variant, "horizon": h, "horizonMean": mean, "observations": int(fit.nobs),
                      "coefficients": {k: float(v) for k, v in fit.params.items()}, "r2": float(fit.rsquared),
                      "residualVariance": float(fit.mse_resid)})
    x, y = design(variant, 1, False)
    for window in ["expanding", "sliding"]:
        origins = [300, 301, 450, 699]
        values = []
        for t in origins:
            lo = 21 if window == "expanding" else t - 250 + 21
            rows = list(range(lo, t - 1))  # regression rows r with r + 1 <= t - 1
            fit = sm.OLS(y.iloc[rows], x.iloc[rows]).fit()
            xb = float(np.dot(fit.params.to_numpy(), x.iloc[t - 1].to_numpy()))
            if variant == "har-log":
                values.append(math.exp(xb + fit.mse_resid / 2))
            else:
                target = y.iloc[rows]
                values.append(max(xb, float(target[target > 0].min())))
        rolling.append({"variant": variant, "window": window, "trainLength": 250, "origins": origins, "values": values})

source = "scripts/har_ref.py, statsmodels " + sm.__version__
json.dump({"source": source, "cases": cases, "rolling": rolling}, open(f"{out_dir}/har-ref.json", "w"), indent=1)
print(f"{len(cases)} fits, {len(rolling)} rolling cases; jumps on {int(jumps.sum())} of {days} days")
