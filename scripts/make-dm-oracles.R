# Reference values for pulse's Diebold-Mariano test (src/monitor/diebold-mariano.ts) from R's forecast::dm.test.
#
# Writes test/fixtures/monitor/dm-oracles.json: for each case the two inputs, the arguments and what dm.test
# returned (statistic, p-value, the horizon it used, whether it fell back to h = 1 with its warning, or the error it
# stopped with). Inputs are seeded; one case uses GOOG daily returns from ../shared when present (the inputs are
# stored, so the tests need no shared data). Numbers are written with 17 significant digits (jsonlite rounds to 15).
# Run from the repository root:
#   Rscript scripts/make-dm-oracles.R
suppressPackageStartupMessages(library(forecast))

# shortest of 15, 16 or 17 significant digits that reads back as the same double
shortest <- function(x) {
  s <- sprintf("%.15g", x)
  bad <- as.numeric(s) != x
  s[bad] <- sprintf("%.16g", x[bad])
  bad <- as.numeric(s) != x
  s[bad] <- sprintf("%.17g", x[bad])
  s
}
num <- function(x) {
  s <- ifelse(is.finite(x), shortest(x), "null")
  if (length(x) == 1) s else paste0("[", paste(s, collapse = ","), "]")
}
str <- function(x) paste0("\"", gsub("\"", "\\\\\"", x), "\"")
obj <- function(...) {
  kv <- list(...)
  paste0("{", paste(sprintf("%s:%s", str(names(kv)), unlist(kv)), collapse = ","), "}")
}

# Input pairs are stored once (in `inputs`) and cases refer to them by index.
inputs <- character(0)
input_of <- new.env()
input_index <- function(e1, e2) {
  key <- paste(digest_key(e1), digest_key(e2))
  if (is.null(input_of[[key]])) {
    inputs <<- c(inputs, obj(e1 = num(e1), e2 = num(e2)))
    input_of[[key]] <- length(inputs) - 1
  }
  input_of[[key]]
}
digest_key <- function(x) paste(length(x), sprintf("%.17g", sum(x)), sprintf("%.17g", sum(x * seq_along(x))))

run_case <- function(name, e1, e2, h, power, alternative, varestimator) {
  warned <- NULL
  res <- tryCatch(
    withCallingHandlers(
      dm.test(e1, e2, alternative = alternative, h = h, power = power, varestimator = varestimator),
      warning = function(w) {
        warned <<- conditionMessage(w)
        invokeRestart("muffleWarning")
      }
    ),
    error = function(e) e
  )
  fields <- list(name = str(name), input = num(input_index(e1, e2)), h = num(h), power = num(power),
                 alternative = str(alternative), varestimator = str(varestimator))
  if (inherits(res, "error")) {
    fields$error <- str(conditionMessage(res))
  } else {
    fields$statistic <- num(unname(res$statistic))
    fields$pValue <- num(res$p.value)
    fields$horizonUsed <- num(unname(res$parameter[1]))
  }
  fields$warning <- if (is.null(warned)) "null" else str(warned)
  do.call(obj, fields)
}

set.seed(20261204)
cases <- character(0)
add <- function(...) cases <<- c(cases, run_case(...))

# MA(h-1) forecast errors of two competing forecasts, so that d is autocorrelated up to lag h-1 as DM assumes.
# Inputs are rounded to 10 significant digits so that the fixture stays small; the oracle is computed on the
# rounded values.
ma_errors <- function(n, h, scale) {
  z <- rnorm(n + h - 1, sd = scale)
  signif(as.numeric(stats::filter(z, rep(1, h) / sqrt(h), sides = 1)[h:(n + h - 1)]), 10)
}
alternatives <- c("two.sided", "less", "greater")
for (n in c(12, 40, 300)) {
  for (h in c(1, 2, 5)) {
    e1 <- ma_errors(n, h, 1.0)
    e2 <- signif(0.3 * e1 + ma_errors(n, h, 1.05), 10)
    for (est in c("acf", "bartlett")) {
      for (alt in alternatives) {
        add(sprintf("errors n=%d h=%d %s %s", n, h, est, alt), e1, e2, h, 2, alt, est)
      }
    }
    # the same comparison as squared-error losses with power 1 (pulse's loss convention)
    if (n == 40) add(sprintf("squared losses n=%d h=%d", n, h), e1^2, e2^2, h, 1, "two.sided", "acf")
  }
}

# log loss of two probability forecasts of a binary outcome, power 1
n <- 300
y <- rbinom(n, 1, 0.55)
p1 <- signif(plogis(qlogis(0.55) + 0.8 * (y - 0.5) + rnorm(n, sd = 0.9)), 10)
p2 <- signif(plogis(qlogis(0.55) + 0.5 * (y - 0.5) + rnorm(n, sd = 0.9)), 10)
logloss <- function(p) -(y * log(p) + (1 - y) * log(1 - p))
for (h in c(1, 2, 5)) for (alt in alternatives) add(sprintf("log loss h=%d %s", h, alt), logloss(p1), logloss(p2), h, 1, alt, "acf")

# absolute error (power 1 on the raw errors)
e1 <- signif(rt(200, df = 4), 10)
e2 <- signif(rt(200, df = 4) * 1.2, 10)
add("absolute errors power 1", e1, e2, 2, 1, "two.sided", "bartlett")
add("errors power 1.5", e1, e2, 1, 1.5, "two.sided", "acf")

# a clearly better forecast on a long window: a far-tail p-value
n <- 2000
e2 <- signif(rnorm(n), 10)
e1 <- signif(0.6 * e2 + rnorm(n, sd = 0.3), 10)
add("far tail two.sided", e1, e2, 1, 2, "two.sided", "acf")
add("far tail less", e1, e2, 3, 2, "less", "acf")
add("far tail greater", e1, e2, 3, 2, "greater", "bartlett")

# variance fallback: a differential that alternates in sign has a negative acf variance at h = 2 and 5
n <- 50
base <- signif(abs(rnorm(n)) + 1, 10)
swing <- signif(0.5 * (-1)^(1:n) + rnorm(n, sd = 0.05), 10)
for (h in c(2, 5)) {
  add(sprintf("variance fallback h=%d acf", h), base + swing, base, h, 1, "two.sided", "acf")
  add(sprintf("variance fallback h=%d acf less", h), base + swing, base, h, 1, "less", "acf")
}
add("alternating differential bartlett h=2", base + swing, base, 2, 1, "two.sided", "bartlett")
# zero variance: a constant differential (R stops), at h = 1 and after the fallback from h = 3; the losses are
# multiples of 1/1024 so that loss + 0.25 - loss is exactly 0.25
grid <- round(abs(rnorm(n)) * 1024) / 1024 + 1
add("constant differential h=1", grid + 0.25, grid, 1, 1, "two.sided", "acf")
add("constant differential h=3", grid + 0.25, grid, 3, 1, "two.sided", "acf")

# real data: squared errors of two forecasts of GOOG's next-day log return (zero vs the 5-day mean of past returns)
goog <- file.path("..", "shared", "data", "market", "backtesting.py", "GOOG-1d.csv")
if (file.exists(goog)) {
  close <- read.csv(goog)$close
  r <- diff(log(close))
  idx <- 6:length(r)
  past_mean <- sapply(idx, function(i) mean(r[(i - 5):(i - 1)]))
  e_zero <- r[idx][1:800]
  e_mean <- (r[idx] - past_mean)[1:800]
  for (h in c(1, 2, 5)) add(sprintf("GOOG-1d h=%d", h), e_zero^2, e_mean^2, h, 1, "two.sided", "acf")
} else {
  message("../shared is absent: the GOOG case is left out")
}

dir.create(file.path("test", "fixtures", "monitor"), recursive = TRUE, showWarnings = FALSE)
out <- paste0(
  "{\"generator\":\"scripts/make-dm-oracles.R\",\"forecast\":", str(as.character(packageVersion("forecast"))),
  ",\"R\":", str(R.version.string), ",\"inputs\":[\n", paste(inputs, collapse = ",\n"),
  "\n],\"cases\":[\n", paste(cases, collapse = ",\n"), "\n]}\n"
)
writeLines(out, file.path("test", "fixtures", "monitor", "dm-oracles.json"), sep = "")
cat(sprintf("wrote %d cases\n", length(cases)))
