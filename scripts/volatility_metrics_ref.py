# Regenerate with: /usr/bin/python3 scripts/volatility_metrics_ref.py > fixtures/realized/metrics-ref.json
"""numpy reference for stockcast's volatility metrics on seeded positive series.
qlike = mean(s2 / h - ln(s2 / h) - 1) and mseLog = mean((ln s2 - ln h)^2), with s2 the realized and h the forecast
variance; for volatility inputs both are squared first (s2 = sigma^2)."""
import json, sys
import numpy as np

rng = np.random.default_rng(15)
cases = []
for kind, n in [("variance", 50), ("variance", 7), ("volatility", 40), ("volatility", 3)]:
    actual = np.exp(rng.normal(-9 if kind == "variance" else 2.5, 0.6, n))
    forecast = actual * np.exp(rng.normal(0.1, 0.4, n))
    s2, h = (actual, forecast) if kind == "variance" else (actual ** 2, forecast ** 2)
    ratio = s2 / h
    cases.append({"targetKind": kind, "actual": actual.tolist(), "forecast": forecast.tolist(),
                  "qlike": float(np.mean(ratio - np.log(ratio) - 1)),
                  "mseLog": float(np.mean((np.log(s2) - np.log(h)) ** 2))})
source = "scripts/volatility_metrics_ref.py, numpy " + np.__version__
json.dump({"source": source, "cases": cases}, sys.stdout, indent=1)
