# Regenerate with: Rscript scripts/qlike_dm_ref.R > fixtures/stats/qlike-dm-ref.json
# (needs Debian r-cran-forecast, r-cran-jsonlite)
# Reference Diebold-Mariano tests on the QLIKE loss, for the comparisons' testLoss 'qlike'. dm.test compares
# |e1|^power - |e2|^power, so with power = 1 and the two models' QLIKE losses (non-negative) as e1 and e2 it tests
# exactly the QLIKE differentials. QLIKE of a volatility target: s2/h - ln(s2/h) - 1 with s2 = actual^2 and
# h = forecast^2. Volatilities follow a log AR(1); model A forecasts with the true persistence, model B with a
# smoothed, biased one; horizons 1 and 2 (the long-run variance with h - 1 lags).
suppressMessages({ library(forecast); library(jsonlite) })
set.seed(20251206)
n <- 120
lv <- numeric(n + 1); lv[1] <- log(20)
for (t in 2:(n + 1)) lv[t] <- log(20) + 0.9 * (lv[t - 1] - log(20)) + rnorm(1, sd = 0.25)
actual <- exp(lv[2:(n + 1)])
a <- exp(log(20) + 0.9 * (lv[1:n] - log(20)) + rnorm(n, sd = 0.1))
b <- 1.1 * exp(log(20) + 0.5 * (lv[1:n] - log(20)))
qlike <- function(s, f) { r <- s^2 / f^2; r - log(r) - 1 }
la <- qlike(actual, a); lb <- qlike(actual, b)
cases <- lapply(c(1, 2), function(h) {
  t <- dm.test(la, lb, h = h, power = 1)
  list(h = h, statistic = unname(t$statistic), pValue = t$p.value)
})
sq <- dm.test(actual - a, actual - b, h = 1, power = 2)
cat(toJSON(list(program = "R forecast::dm.test on QLIKE losses (power = 1)", actual = actual, a = a, b = b,
  qlikeA = la, qlikeB = lb, cases = cases,
  squared = list(h = 1, statistic = unname(sq$statistic), pValue = sq$p.value)), digits = NA, auto_unbox = TRUE))
