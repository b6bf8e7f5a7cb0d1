# Regenerate with: Rscript scripts/garch_ref.R > fixtures/risk/garch-ref.json   (needs Debian r-cran-tseries, r-cran-fgarch, r-cran-jsonlite)
# GARCH(1,1) reference fits on real data for stockcast's fitGarch: 100 x daily log returns of the S&P 500 close in
# fixtures/sp500-2000.csv (all of them, and the last 1000 as a second slice).
#  - tseries::garch: Gaussian, zero mean; its likelihood conditions on the first return (h_1 = mean(r^2), terms 2..n).
#  - fGarch::garchFit: Student-t ("std", unit variance) and Gaussian; fGarch's presample start
#    h_1 = omega + (alpha + beta) mean(z^2) with all n terms; zero and constant mean.
# fGarch bounds the Student-t shape to [1, 10] (its defaults are used unchanged; both fits end inside the bounds).
suppressMessages({ library(tseries); library(fGarch); library(jsonlite) })
csv <- read.csv("fixtures/sp500-2000.csv")
r <- 100 * diff(log(csv$close))
dates <- csv$date[-1]
slices <- list(full = seq_along(r), last1000 = (length(r) - 999):length(r))
cases <- list()
for (name in names(slices)) {
  idx <- slices[[name]]
  x <- r[idx]
  data <- list(file = "fixtures/sp500-2000.csv", column = "close", transform = "100 * diff(log(close))",
               first = dates[idx[1]], last = dates[idx[length(idx)]], n = length(x))
  g <- garch(x, order = c(1, 1), trace = FALSE, control = garch.control(maxiter = 1000, trace = FALSE))
  cases[[length(cases) + 1]] <- list(name = paste0("tseries-normal-", name), program = "tseries::garch",
    data = data, distribution = "normal", mean = "zero", conditioning = "first-observation",
    omega = unname(coef(g)[1]), alpha = unname(coef(g)[2]), beta = unname(coef(g)[3]),
    logLikelihood = as.numeric(logLik(g)))
  for (spec in list(list(dist = "std", mean = FALSE), list(dist = "norm", mean = FALSE), list(dist = "norm", mean = TRUE))) {
    f <- garchFit(~ garch(1, 1), data = x, cond.dist = spec$dist, include.mean = spec$mean, trace = FALSE)
    cf <- coef(f)
    pred <- predict(f, n.ahead = 10)
    case <- list(name = paste0("fgarch-", spec$dist, if (spec$mean) "-mean" else "", "-", name),
      program = "fGarch::garchFit", data = data, distribution = if (spec$dist == "std") "student-t" else "normal",
      mean = if (spec$mean) "constant" else "zero", conditioning = "presample",
      mu = if (spec$mean) unname(cf["mu"]) else 0, omega = unname(cf["omega"]), alpha = unname(cf["alpha1"]),
      beta = unname(cf["beta1"]), logLikelihood = -unname(f@fit$llh), forecastSd = unname(pred$standardDeviation))
    if (spec$dist == "std") case$nu <- unname(cf["shape"])
    cases[[length(cases) + 1]] <- case
  }
}
cat(toJSON(list(R = R.version.string, tseries = as.character(packageVersion("tseries")),
                fGarch = as.character(packageVersion("fGarch")), cases = cases), auto_unbox = TRUE, digits = NA, pretty = TRUE))
