# Reference for surveykit.correlations(method = "kendall"): cor(method = "kendall") (tau-b),
# cor.test(method = "kendall") z / T and p (exact = NULL: R's rule, exact for untied n < 50;
# exact = FALSE: normal approximation with the tie-corrected variance, continuity = FALSE),
# and the documented interval R does not give: tanh(atanh(tau) +/- qnorm(1 - a/2) *
# sqrt(0.437 / (n - 4))) (Fieller, Hartley & Pearson 1957; Bonett & Wright 2000).
# Data: datasets::mtcars (ties) written to mtcars.csv, and untied.csv simulated here
# (set.seed(12); n = 45, one column with 9 NA, so its pairs have n = 36 -> exact; a column
# with n = 45 and a tie -> normal). Run from this folder: Rscript generate.R
suppressMessages(library(jsonlite))
write.csv(mtcars[, c("mpg", "disp", "hp", "drat", "wt", "qsec", "gear")], "mtcars.csv", row.names = FALSE)
set.seed(12); n <- 45
u <- data.frame(a = rnorm(n), b = rnorm(n), c = rnorm(n), d = rnorm(n))
u$b <- u$b + 0.6 * u$a; u$c[sample(n, 9)] <- NA; u$d <- round(u$d + 0.3 * u$a, 1)
write.csv(u, "untied.csv", row.names = FALSE)
one <- function(file, cols, exact, level = 0.95, use = "pairwise") {
  d <- read.csv(file)[, cols]
  if (use == "complete") d <- na.omit(d)
  pairs <- list(); k <- 0
  for (i in 1:(length(cols) - 1)) for (j in (i + 1):length(cols)) {
    k <- k + 1; ok <- complete.cases(d[, c(i, j)]); x <- d[ok, i]; y <- d[ok, j]; n <- sum(ok)
    tst <- suppressWarnings(cor.test(x, y, method = "kendall", exact = if (exact) NULL else FALSE))
    r <- unname(tst$estimate); stopifnot(abs(r - cor(x, y, method = "kendall")) < 1e-14)
    q <- qnorm(1 - (1 - level) / 2); ci <- tanh(atanh(r) + c(-1, 1) * q * sqrt(0.437 / (n - 4)))
    pairs[[k]] <- list(variable_a = cols[i], variable_b = cols[j], estimate = r, ci_low = ci[1],
                       ci_high = ci[2], statistic = unname(tst$statistic),
                       statistic_name = names(tst$statistic), p_value = tst$p.value, n = n)
  }
  list(file = file, columns = cols, exact = exact, level = level, missing = use, pairs = pairs)
}
out <- list(cases = list(
  one("mtcars.csv", c("mpg", "disp", "hp", "drat", "wt", "qsec", "gear"), exact = TRUE),
  one("mtcars.csv", c("mpg", "hp", "gear"), exact = FALSE, level = 0.9),
  one("untied.csv", c("a", "b", "c", "d"), exact = TRUE),
  one("untied.csv", c("a", "b", "c", "d"), exact = FALSE),
  one("untied.csv", c("a", "b", "c"), exact = TRUE, use = "complete")))
writeLines(toJSON(out, auto_unbox = TRUE, digits = NA, pretty = TRUE), "expected.json")
print(sessionInfo())
