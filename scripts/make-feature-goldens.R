# Reference values for pulse's feature library from R's TTR package.
#
# Writes test/fixtures/features/bars.csv (a seeded synthetic OHLCV series, 4 decimals) and
# test/fixtures/features/ttr-goldens.csv (TTR's values for the overlapping indicators, named by pulse feature
# names and converted to pulse's units). Run from the repository root:
#   Rscript scripts/make-feature-goldens.R
suppressPackageStartupMessages(library(TTR))

set.seed(20240607)
n <- 400
ret <- 0.012 * rt(n, df = 5) / sqrt(5 / 3)
close <- round(100 * exp(cumsum(ret)), 4)
open <- round(c(100, head(close, -1)) * exp(0.002 * rnorm(n)), 4)
high <- round(pmax(open, close) * exp(abs(0.004 * rnorm(n))), 4)
low <- round(pmin(open, close) * exp(-abs(0.004 * rnorm(n))), 4)
high <- pmax(high, open, close)
low <- pmin(low, open, close)
volume <- round(1000 * exp(rnorm(n)))
volume[c(37, 38, 200)] <- 0
time <- format(as.POSIXct("2024-01-01", tz = "UTC") + 3600 * (0:(n - 1)), "%Y-%m-%dT%H:%M:%SZ", tz = "UTC")
bars <- data.frame(timestamp = time, open = open, high = high, low = low, close = close, volume = volume)
write.csv(bars, "test/fixtures/features/bars.csv", row.names = FALSE, quote = FALSE)

HLC <- cbind(high, low, close)
OHLC <- cbind(open, high, low, close)
HL <- cbind(high, low)

macd <- MACD(close, 12, 26, 9, maType = "EMA", percent = FALSE)
bb <- BBands(close, n = 20, sd = 2)
st <- stoch(HLC, nFastK = 14, nFastD = 3, nSlowD = 3)
adx <- ADX(HLC, n = 14)
ar <- aroon(HL, n = 25)
dc <- DonchianChannel(HL, n = 20)
sma20 <- SMA(close, 20)
sd20 <- runSD(close, 20, sample = FALSE)

out <- data.frame(
  sma_20 = sma20,
  ema_20 = EMA(close, 20),
  wma_20 = WMA(close, 20),
  dema_20 = DEMA(close, 20),
  macd_12_26 = macd[, "macd"],
  macd_signal_12_26_9 = macd[, "signal"],
  macd_hist_12_26_9 = macd[, "macd"] - macd[, "signal"],
  rsi_14 = RSI(close, 14),
  bb_upper_20_2 = bb[, "up"],
  bb_middle_20 = bb[, "mavg"],
  bb_lower_20_2 = bb[, "dn"],
  bb_pctb_20_2 = bb[, "pctB"],
  atr_14 = ATR(HLC, 14)[, "atr"],
  stoch_k_14 = 100 * st[, "fastK"],
  stoch_d_14_3 = 100 * st[, "fastD"],
  willr_14 = -100 * WPR(HLC, 14),
  cci_20 = CCI(HLC, 20),
  adx_14 = adx[, "ADX"],
  di_plus_14 = adx[, "DIp"],
  di_minus_14 = adx[, "DIn"],
  obv = OBV(close, volume),
  mfi_14 = MFI(HLC, volume, 14),
  cmf_20 = CMF(HLC, volume, 20),
  roc_10 = ROC(close, 10, type = "discrete"),
  mom_10 = momentum(close, 10),
  trix_15 = TRIX(close, n = 15, nSig = 9, maType = "EMA", percent = TRUE)[, "TRIX"] / 100,
  cmo_14 = CMO(close, 14),
  aroon_up_25 = ar[, "aroonUp"],
  aroon_down_25 = ar[, "aroonDn"],
  aroon_osc_25 = ar[, "oscillator"],
  dc_upper_20 = dc[, "high"],
  dc_middle_20 = dc[, "mid"],
  dc_lower_20 = dc[, "low"],
  vol_20 = volatility(close, n = 21, calc = "close", N = 1),
  parkinson_20 = volatility(OHLC, n = 20, calc = "parkinson", N = 1),
  garman_klass_20 = volatility(OHLC, n = 20, calc = "garman.klass", N = 1),
  yang_zhang_20 = volatility(OHLC, n = 20, calc = "yang.zhang", N = 1),
  zscore_20 = (close - sma20) / sd20,
  pvcorr_20 = runCor(close, volume, 20),
  logret_5 = ROC(close, 5, type = "continuous")
)
fmt <- function(x) ifelse(is.na(x), "", sprintf("%.17g", x))
write.csv(as.data.frame(lapply(out, fmt)), "test/fixtures/features/ttr-goldens.csv", row.names = FALSE, quote = FALSE)
cat("wrote", nrow(out), "rows x", ncol(out), "TTR columns\n")

# MFI where the typical price is unchanged between bars only in exact arithmetic. Prices on a cent tick
# (integer cents / 100: one correctly rounded division, the double any CSV reader gives for the printed value).
# Bars 20 and 21 (0-based) hold H, L, C = 99.93, 99.87, 99.90 and 99.92, 99.86, 99.92: both means are exactly
# 99.9 and R's mean (an extended-precision sum, rounded once) gives 99.9 for both, so TTR counts no flow on bar 21;
# (H + L + C) / 3 in doubles gives 99.90000000000002 and 99.89999999999999, a fall.
# Writes test/fixtures/features/mfi-ties-bars.csv and mfi-ties-ttr.csv.
set.seed(20240609)
m <- 48
close_c <- 9990 + cumsum(c(0, round(6 * rnorm(m - 1))))
open_c <- c(close_c[1], head(close_c, -1))
high_c <- pmax(open_c, close_c) + round(abs(4 * rnorm(m)))
low_c <- pmin(open_c, close_c) - round(abs(4 * rnorm(m)))
open_c[21:22] <- c(9990, 9990)
high_c[21:22] <- c(9993, 9992)
low_c[21:22] <- c(9987, 9986)
close_c[21:22] <- c(9990, 9992)
ties <- data.frame(
  timestamp = format(as.POSIXct("2024-03-01", tz = "UTC") + 3600 * (0:(m - 1)), "%Y-%m-%dT%H:%M:%SZ", tz = "UTC"),
  open = open_c / 100, high = high_c / 100, low = low_c / 100, close = close_c / 100,
  volume = round(1000 * exp(rnorm(m)))
)
stopifnot(all(ties$low <= pmin(ties$open, ties$close)), all(ties$high >= pmax(ties$open, ties$close)))
# The designed pair is the only one where the two roundings order consecutive bars differently (such pairs are
# common at this tick: a third of the seeds near this one add another by chance).
tp <- apply(cbind(ties$high, ties$low, ties$close), 1, mean)
plain <- (ties$high + ties$low + ties$close) / 3
stopifnot(tp[21] == tp[22], plain[21] != plain[22], identical(which(sign(diff(tp)) != sign(diff(plain))), 21L))
write.csv(ties, "test/fixtures/features/mfi-ties-bars.csv", row.names = FALSE, quote = FALSE)
write.csv(data.frame(mfi_14 = fmt(MFI(cbind(ties$high, ties$low, ties$close), ties$volume, 14))),
  "test/fixtures/features/mfi-ties-ttr.csv", row.names = FALSE, quote = FALSE)
cat("wrote", m, "MFI tie bars\n")

# The same on real data, when ../shared is present: TTR's MFI of backtesting.py's EURUSD-1h (five-decimal prices;
# rows 596 and 597 have equal means that doubles put an ulp apart). R's decimal reader can be an ulp off the
# nearest double, so the numbers are read as integer digits divided by a power of ten (one rounding, as
# JavaScript reads them). Writes test/fixtures/features/eurusd-1h-mfi-ttr.csv.
shared <- Sys.getenv("PULSE_SHARED_DIR", "../shared")
eurusd <- file.path(shared, "data", "market", "backtesting.py", "EURUSD-1h.csv")
if (file.exists(eurusd)) {
  exact_num <- function(s) {
    frac <- ifelse(grepl(".", s, fixed = TRUE), nchar(sub("^[^.]*[.]", "", s)), 0)
    as.numeric(sub(".", "", s, fixed = TRUE)) / 10^frac
  }
  fx <- read.csv(eurusd, colClasses = "character")
  mfi <- MFI(cbind(exact_num(fx$high), exact_num(fx$low), exact_num(fx$close)), exact_num(fx$volume), 14)
  write.csv(data.frame(mfi_14 = fmt(mfi)), "test/fixtures/features/eurusd-1h-mfi-ttr.csv", row.names = FALSE, quote = FALSE)
  cat("wrote", nrow(fx), "EURUSD-1h TTR MFI rows\n")
} else {
  cat("no", eurusd, "- EURUSD-1h MFI goldens not written\n")
}
