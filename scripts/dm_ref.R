# Regenerate with: Rscript scripts/dm_ref.R > fixtures/stats/dm-ref.json
# (needs Debian r-cran-forecast, r-cran-jsonlite)
# Reference Diebold-Mariano tests for stockcast's dieboldMariano: forecast::dm.test(e1, e2, h = h, power = power)
# with its defaults (two-sided, varestimator "acf"). Cases: several lengths (short ones included), horizons 1-10,
# powers 1 and 2, autocorrelated errors (MA(h-1), as h-step forecast errors are), and errors whose long-run
# variance at h > 1 is negative, where dm.test warns and redoes the test at h = 1 (the fallback).
suppressMessages({ library(forecast); library(jsonlite) })
set.seed(20250125)
cases <- list()
add <- function(name, e1, e2, h, power) {
  fallback <- FALSE
  t <- withCallingHandlers(dm.test(e1, e2, h = h, power = power),
    warning = function(w) { fallback <<- TRUE; invokeRestart("muffleWarning") })
  cases[[length(cases) + 1]] <<- list(name = name, e1 = e1, e2 = e2, h = h, power = power,
    statistic = unname(t$statistic), pValue = t$p.value, fallback = fallback)
}
for (n in c(6, 12, 40, 150)) {
  for (h in c(1, 2, 3, 5, 10)) {
    if (h >= n) next
    for (power in c(1, 2)) {
      # MA(h - 1) errors; the second model is noisier by a factor that varies with the case.
      z1 <- rnorm(n + h); z2 <- rnorm(n + h)
      ma <- function(z) as.numeric(stats::filter(z, rep(1, h), sides = 1))[h:(n + h - 1)]
      e1 <- ma(z1); e2 <- (1 + runif(1, 0, 0.6)) * ma(z2) + 0.3 * ma(z1)
      add(sprintf("n%d-h%d-power%d", n, h, power), e1, e2, h, power)
    }
  }
}
# Heavy tails and a power of 1.5.
e1 <- rt(80, df = 3); e2 <- rt(80, df = 3) * 1.2
add("student-t-n80-h4-power1.5", e1, e2, 4, 1.5)
# Alternating loss differentials: the lag-1 autocovariance outweighs the variance, so h = 2 and 3 fall back to h = 1.
base <- rnorm(30, 1, 0.1)
e1 <- base * rep(c(2, 0.5), 15); e2 <- base
add("fallback-n30-h2", e1, e2, 2, 2)
add("fallback-n30-h3", e1, e2, 3, 2)
add("fallback-n30-h2-power1", e1, e2, 2, 1)
# The shortest series dm.test takes.
add("short-n3-h1", c(0.5, -1.2, 0.3), c(1.1, 0.4, -2), 1, 2)
add("short-n4-h2", c(0.5, -1.2, 0.3, 0.9), c(1.1, 0.4, -2, -0.1), 2, 2)
cat(toJSON(list(program = sprintf("forecast %s dm.test, R %s", packageVersion("forecast"), getRversion()),
  cases = cases), digits = NA, auto_unbox = TRUE, pretty = TRUE))
