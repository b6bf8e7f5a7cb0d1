# Exports R's daily series for the recurrent volatility measurement (bench/volatility.ts), not test fixtures:
# datasets::EuStockMarkets (DAX, SMI, CAC, FTSE closes, 1860 days), fGarch's sp500dge (17,055 daily S&P 500
# log returns), dem2gbp (1,974 daily DEM/GBP log returns) and timeSeries' USDCHF (30-minute quotes, below). Returns become closes (100 x exp of the cumulative
# sum); dates are business days (the data carry none). Run: Rscript scripts/volatility_data.R
suppressMessages(library(fGarch))
out <- "bench/data/volatility"
dir.create(out, recursive = TRUE, showWarnings = FALSE)
days <- function(n, start) {
  d <- seq(as.Date(start), by = "day", length.out = n * 2)
  d <- d[!(format(d, "%u") %in% c("6", "7"))]
  d[1:n]
}
eu <- as.data.frame(EuStockMarkets)
for (name in colnames(eu)) {
  write.csv(data.frame(date = days(nrow(eu), "1991-07-01"), close = eu[[name]]), file.path(out, paste0("eu-", tolower(name), ".csv")), row.names = FALSE)
}
closes <- function(r) 100 * exp(cumsum(c(0, r)))
data(sp500dge)
r <- as.numeric(sp500dge[, 1])
write.csv(data.frame(date = days(length(r) + 1, "1940-01-02"), close = closes(r)), file.path(out, "sp500dge.csv"), row.names = FALSE)
data(dem2gbp)
r <- as.numeric(dem2gbp[, 1]) / 100
write.csv(data.frame(date = days(length(r) + 1, "1984-01-03"), close = closes(r)), file.path(out, "dem2gbp.csv"), row.names = FALSE)
cat("wrote", length(list.files(out)), "files to", out, "\n")
# A real intraday series: timeSeries' USDCHF, 30-minute USD/CHF quotes from 1996-04-01 to 2001-03-30 (62,496 bars,
# Olsen & Associates via Rmetrics), written with UTC timestamps; the bench makes its daily realized variance.
suppressMessages(library(timeSeries))
data(USDCHF)
t <- as.POSIXct(time(USDCHF))
write.csv(data.frame(date = format(t, "%Y-%m-%dT%H:%M:%SZ", tz = "GMT"), close = as.numeric(USDCHF[, 1])),
  file.path(out, "usdchf-30m.csv"), row.names = FALSE, quote = FALSE)
cat("wrote usdchf-30m.csv\n")
