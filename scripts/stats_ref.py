"""Reference numbers for stockcast's src/stats (issue 25), from scipy, statsmodels and numpy.

Regenerate with: /usr/bin/python3 scripts/stats_ref.py > fixtures/stats/stats-ref.json
(needs Debian python3-scipy, python3-statsmodels, python3-numpy; CI reads only the JSON).

- Sharpe ratios: per-period mean / std(ddof=1); skewness scipy.stats.skew, kurtosis scipy.stats.kurtosis(fisher=False);
  the non-normal standard error of Mertens (2002) / Opdyke (2007) with T - 1; Lo's (2002) autocorrelation-robust
  form by the delta method on statsmodels' Newey-West long-run covariance (S_hac_simple, its default lags).
- PSR and DSR as in Bailey and Lopez de Prado (2014), with scipy.stats.norm; their numerical example (Section 5:
  100 trials of variance 1/2 a year, an annual Sharpe of 2.5 over 1250 days of 250 a year, skewness -3, kurtosis 10;
  published SR0 = 0.1132 per day and DSR = 0.9004).
- The ranked probability score of the M6 competition, its uniform benchmark, and exact quintile probabilities of
  five independent normal returns by numerical integration (scipy.integrate.quad).
- PIT histograms (numpy counts, scipy.stats.chisquare) and coverage by level.
- White's Reality Check and Hansen's SPA p-values, computed with numpy on stationary-bootstrap indices drawn here
  (numpy's generator) and stored, so the TypeScript test runs the same resamples.
"""
import json
import sys

import numpy as np
from scipy import integrate, stats
from statsmodels.stats.sandwich_covariance import S_hac_simple

rng = np.random.default_rng(20250125)
EULER = 0.5772156649015329


def sharpe_case(name, r):
    r = np.asarray(r, dtype=float)
    t = len(r)
    mu, sd = r.mean(), r.std(ddof=1)
    sr = mu / sd
    skew = stats.skew(r)
    kurt = stats.kurtosis(r, fisher=False)
    scale = 1 - skew * sr + (kurt - 1) / 4 * sr**2
    se = np.sqrt(scale / (t - 1))
    # Lo (2002): moment conditions (r - mu, (r - mu)^2 - s2); Newey-West long-run covariance; delta method on mu/sd.
    s2 = np.mean((r - mu) ** 2)
    m = np.column_stack([r - mu, (r - mu) ** 2 - s2])
    nlags = int(np.floor(4 * (t / 100.0) ** (2.0 / 9.0)))
    lrc = S_hac_simple(m, nlags=nlags) / t
    grad = np.array([1 / sd, -mu / (2 * sd**3)])
    se_hac = np.sqrt(grad @ lrc @ grad / t)
    psr = lambda b: stats.norm.cdf((sr - b) * np.sqrt(t - 1) / np.sqrt(scale))
    trials, var = 10, 0.002
    z = (1 - EULER) * stats.norm.ppf(1 - 1 / trials) + EULER * stats.norm.ppf(1 - 1 / (trials * np.e))
    sr0 = np.sqrt(var) * z
    return dict(name=name, returns=r.tolist(), sharpe=sr, skewness=skew, kurtosis=kurt, standardError=se,
                autocorrelatedStandardError=se_hac, lags=nlags, psr0=psr(0.0), psr005=psr(0.05),
                dsr=dict(trials=trials, trialSharpeVariance=var, expectedMax=sr0, value=psr(sr0)),
                annualized=dict(periodsPerYear=252, sharpe=sr * np.sqrt(252), standardError=se * np.sqrt(252)))


def ar1(n, phi, scale):
    e = rng.standard_normal(n) * scale
    x = np.empty(n)
    x[0] = e[0]
    for i in range(1, n):
        x[i] = phi * x[i - 1] + e[i]
    return 0.0004 + x


sharpe = [
    sharpe_case("normal-250", 0.0005 + 0.01 * rng.standard_normal(250)),
    sharpe_case("student-t3-500", 0.0008 + 0.01 * rng.standard_t(3, 500)),
    sharpe_case("skewed-lognormal-300", np.exp(0.02 * rng.standard_normal(300)) - 1.0),
    sharpe_case("negative-skew-400", 0.002 - 0.01 * rng.lognormal(0, 0.8, 400) + 0.0135),
    sharpe_case("ar1-0.4-600", ar1(600, 0.4, 0.01)),
    sharpe_case("short-12", 0.001 + 0.02 * rng.standard_normal(12)),
]

# The DSR paper's numerical example, in summary statistics.
sr_day = 2.5 / np.sqrt(250)
v_day = 0.5 / 250
sr0 = np.sqrt(v_day) * ((1 - EULER) * stats.norm.ppf(1 - 1 / 100) + EULER * stats.norm.ppf(1 - 1 / (100 * np.e)))
dsr_z = (sr_day - sr0) * np.sqrt(1250 - 1) / np.sqrt(1 + 3 * sr_day + (10 - 1) / 4 * sr_day**2)
paper = dict(summary=dict(sharpe=sr_day, observations=1250, skewness=-3.0, kurtosis=10.0), trials=100,
             trialSharpeVariance=v_day, expectedMax=sr0, deflatedSharpe=stats.norm.cdf(dsr_z),
             published=dict(expectedMax=0.1132, deflatedSharpe=0.9004))


def rps(p, o):
    cp = np.cumsum(p, axis=1)
    co = (np.arange(1, 6)[None, :] >= np.asarray(o)[:, None]).astype(float)
    return float(np.mean(np.mean((cp - co) ** 2, axis=1)))


def quintiles(r):
    order = stats.rankdata(r, method="average") - 1  # 0-based mean positions
    return (np.minimum(5, np.floor(5 * order / len(r)) + 1)).astype(int)


m6_returns = rng.standard_normal(100) * 0.05
m6_outcomes = quintiles(m6_returns)
probs = rng.dirichlet(np.ones(5), 100)
ranking = dict(returns=m6_returns.tolist(), outcomes=m6_outcomes.tolist(),
               uniformRps=rps(np.full((100, 5), 0.2), m6_outcomes),
               probabilities=probs.tolist(), rps=rps(probs, m6_outcomes))


def rank_probabilities(means, sds):
    """P(asset i has rank r among 5 independent normals): its density times the Poisson-binomial of the others."""
    out = []
    for i in range(5):
        others = [j for j in range(5) if j != i]

        def poisson_binomial(x, k):
            p = [stats.norm.cdf(x, means[j], sds[j]) for j in others]
            dist = np.zeros(len(p) + 1)
            dist[0] = 1.0
            for pj in p:
                dist[1:] = dist[1:] * (1 - pj) + dist[:-1] * pj
                dist[0] *= 1 - pj
            return dist[k]

        row = [integrate.quad(lambda x: stats.norm.pdf(x, means[i], sds[i]) * poisson_binomial(x, k), -np.inf, np.inf,
                              epsabs=1e-12)[0] for k in range(5)]
        out.append(row)
    return out


qp_means = [0.0, 0.01, -0.005, 0.02, 0.004]
qp_sds = [0.02, 0.015, 0.03, 0.02, 0.01]
ranking["quintileProbabilities"] = dict(means=qp_means, sds=qp_sds, probabilities=rank_probabilities(qp_means, qp_sds))

# PIT histogram and coverage by level: quantile forecasts of a normal that is too narrow (sd 0.8 for a true 1).
levels = [0.05, 0.1, 0.25, 0.5, 0.75, 0.9, 0.95]
actual = rng.standard_normal(400)
centre = 0.1 * rng.standard_normal(400)
q = centre[:, None] + 0.8 * stats.norm.ppf(levels)[None, :]
bins = np.sum(actual[:, None] >= q, axis=1)  # number of forecasts at or below the outcome
counts = np.bincount(bins, minlength=len(levels) + 1)
expected = np.diff(np.concatenate([[0.0], levels, [1.0]]))
chi = stats.chisquare(counts, expected * len(actual))
calibration = dict(levels=levels, points=[dict(actual=float(a), quantiles=row.tolist()) for a, row in zip(actual, q)],
                   pitCounts=counts.tolist(), chiSquare=dict(statistic=float(chi.statistic), pValue=float(chi.pvalue)),
                   coverage=np.mean(actual[:, None] <= q, axis=0).tolist())

# Reality Check and SPA on fixed stationary-bootstrap indices.
T, B, block = 80, 300, 4.0
bench = 1.0 + rng.standard_normal(T) ** 2
losses = np.vstack([bench - 0.15 + 0.5 * rng.standard_normal(T), bench + 0.05 * rng.standard_normal(T),
                    bench + 0.8 + 0.5 * rng.standard_normal(T)])
idx = np.empty((B, T), dtype=int)
for b in range(B):
    idx[b, 0] = rng.integers(T)
    for t in range(1, T):
        idx[b, t] = rng.integers(T) if rng.random() < 1 / block else (idx[b, t - 1] + 1) % T
d = bench[None, :] - losses
dbar = d.mean(axis=1)
boot = np.stack([d[:, ix].mean(axis=1) for ix in idx])  # B x K
rc_stat = np.sqrt(T) * dbar.max()
rc_sim = np.sqrt(T) * (boot - dbar[None, :]).max(axis=1)
omega = np.sqrt(T * np.mean((boot - dbar[None, :]) ** 2, axis=0))
tstat = np.sqrt(T) * dbar / omega
spa_stat = max(tstat.max(), 0.0)
thr = -np.sqrt(2 * np.log(np.log(T)))


def spa_p(centre):
    sim = np.maximum(np.max(np.sqrt(T) * (boot - centre[None, :]) / omega[None, :], axis=1), 0.0)
    return float(np.mean(sim >= spa_stat))


bootstrap = dict(benchmark=bench.tolist(), losses=losses.tolist(), indices=idx.tolist(),
                 realityCheck=dict(statistic=rc_stat, pValue=float(np.mean(rc_sim >= rc_stat)),
                                   best=int(dbar.argmax())),
                 spa=dict(statistic=spa_stat, pValue=spa_p(np.where(tstat >= thr, dbar, 0.0)),
                          pValueLower=spa_p(np.maximum(dbar, 0.0)),
                          pValueUpper=spa_p(dbar), best=int(tstat.argmax())))


def plain(x):
    if isinstance(x, dict):
        return {k: plain(v) for k, v in x.items()}
    if isinstance(x, list):
        return [plain(v) for v in x]
    if isinstance(x, (np.floating, np.integer)):
        return x.item()
    return x


json.dump(plain(dict(program=f"numpy {np.__version__}, scipy {sys.modules['scipy'].__version__}, statsmodels "
                             f"{sys.modules['statsmodels'].__version__}", sharpe=sharpe, paper=paper, ranking=ranking,
                     calibration=calibration, bootstrap=bootstrap)), sys.stdout, indent=1)
print()
