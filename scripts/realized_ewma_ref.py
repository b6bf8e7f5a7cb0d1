# Regenerate with: /usr/bin/python3 scripts/realized_ewma_ref.py
# (needs Debian python3-pandas; reads fixtures/realized/daily-measures.csv, writes fixtures/realized/ewma-ref.json)
"""Reference for the `ewma` model on a realized measure: pandas' exponentially weighted mean of the measure itself.

At origin t (the first row forecast) over the training rows t0..t-1: the recursion starts at the mean of the first
22 rows and runs over the rest, v = lambda v + (1 - lambda) x. pandas computes it as ewm(alpha = 1 - lambda,
adjust = False) over [mean of the first 22, x[t0+22], ..., x[t-1]]: its last value is the forecast of every step.
A volatility column is squared first and the forecast is the square root of v."""
import json
import pandas as pd

daily = pd.read_csv("fixtures/realized/daily-measures.csv")
rv = daily["rv"].to_numpy()


def forecast(x, t0, t, lam):
    seed = x[t0 : t0 + 22].mean()
    run = pd.Series([seed, *x[t0 + 22 : t]])
    return float(run.ewm(alpha=1 - lam, adjust=False).mean().iloc[-1])


cases = []
for lam in (0.94, 0.8):
    for window, length in (("expanding", None), ("sliding", 250)):
        origins = [300, 301, 450, 699]
        values = []
        for t in origins:
            t0 = 0 if window == "expanding" else t - length
            values.append(forecast(rv, t0, t, lam))
        cases.append({"lambda": lam, "window": window, "trainLength": length or 0, "origins": origins,
                      "variance": values})
# A volatility column (sqrt rv): the recursion over its squares, and the square root of the result.
vol = rv ** 0.5
vcases = [{"origin": t, "value": forecast(vol ** 2, 0, t, 0.94) ** 0.5} for t in (300, 450, 699)]
with open("fixtures/realized/ewma-ref.json", "w") as f:
    json.dump({"cases": cases, "volatility": vcases}, f, indent=1)
print("wrote fixtures/realized/ewma-ref.json")
