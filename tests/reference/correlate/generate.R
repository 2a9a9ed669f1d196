# Reference for surveykit.correlations: cor.test for every pair (Spearman with exact = FALSE,
# which R uses whenever there are ties) and psych::corr.test (r, n, p, CI, adjusted p).
# Data: airquality (Ozone 37 NA, Solar.R 7 NA) from ../groups/airquality/input.csv and
# Holzinger & Swineford (1939) from ../groups/holzinger/input.csv. Run: Rscript generate.R
source("../groups/formulas.R"); suppressMessages(library(psych))
one <- function(file, cols, method, use, adjust, level = 0.95, exact = FALSE) {
  d <- read.csv(file, na.strings = "")[, cols]
  if (use == "complete") d <- na.omit(d)
  ct <- corr.test(d, method = method, use = if (use == "complete") "complete" else "pairwise",
                  adjust = adjust, alpha = 1 - level)
  pairs <- list(); k <- 0
  for (i in 1:(length(cols) - 1)) for (j in (i + 1):length(cols)) {
    k <- k + 1; ok <- complete.cases(d[, c(i, j)])
    x <- d[ok, i]; y <- d[ok, j]; n <- sum(ok)
    tst <- suppressWarnings(cor.test(x, y, method = method, exact = if (method == "spearman" && !exact) FALSE else NULL,
                                     conf.level = level))
    r <- unname(tst$estimate); z <- atanh(r); se <- 1 / sqrt(n - 3); q <- qnorm(1 - (1 - level) / 2)
    ci <- if (method == "pearson") tst$conf.int[1:2] else tanh(z + c(-1, 1) * q * se)
    # psych::corr.test agrees (r, n, raw p in the lower triangle, CI)
    stopifnot(abs(ct$r[j, i] - r) < 1e-12, (if (is.matrix(ct$n)) ct$n[j, i] else ct$n) == n,
              exact || abs(ct$p[j, i] - tst$p.value) < 1e-12 * max(1, tst$p.value) + 1e-300,
              abs(ct$ci$lower[k] - ci[1]) < 1e-12, abs(ct$ci$upper[k] - ci[2]) < 1e-12)
    tstat <- r * sqrt((n - 2) / (1 - r^2))
    pairs[[k]] <- list(variable_a = cols[i], variable_b = cols[j], estimate = r, ci_low = ci[1],
                       ci_high = ci[2], statistic = tstat, df = n - 2, p_value = tst$p.value, n = n)
  }
  pa <- p.adjust(sapply(pairs, `[[`, "p_value"), adjust)
  for (k in seq_along(pairs)) pairs[[k]]$p_adjusted <- pa[k]
  # psych's upper triangle holds the adjusted p values
  up <- ct$p[upper.tri(ct$p)]; stopifnot(exact || max(abs(sort(up) - sort(pa))) < 1e-12)
  list(file = file, columns = cols, method = method, missing = if (use == "complete") "listwise" else "pairwise",
       p_adjust = adjust, level = level, exact = exact, pairs = pairs)
}
A <- "../groups/airquality/input.csv"; H <- "../groups/holzinger/input.csv"
# untied data for cor.test's exact Spearman p: n = 30 (Edgeworth series) and n = 8 (enumeration)
set.seed(20240601)
u <- data.frame(a = rnorm(30), b = rnorm(30), c = c(rnorm(8), rep(NA, 22)))
u$b <- u$b + 0.4 * u$a; u$c[1:8] <- u$c[1:8] + u$a[1:8]
write.csv(u, "untied.csv", row.names = FALSE, na = "")
U <- "untied.csv"
out <- list(cases = list(
  one(A, c("Ozone", "Solar.R", "Wind", "Temp"), "pearson", "pairwise", "holm"),
  one(A, c("Ozone", "Solar.R", "Wind", "Temp"), "pearson", "complete", "BH"),
  one(A, c("Ozone", "Solar.R", "Wind", "Temp"), "spearman", "pairwise", "bonferroni", level = 0.9),
  one(A, c("Ozone", "Solar.R", "Wind", "Temp"), "spearman", "complete", "holm"),
  one(H, paste0("x", 1:9), "spearman", "pairwise", "hochberg"),
  one(H, paste0("x", 1:9), "pearson", "pairwise", "none"),
  one(U, c("a", "b", "c"), "spearman", "pairwise", "holm", exact = TRUE),
  one(A, c("Ozone", "Solar.R", "Wind", "Temp"), "spearman", "pairwise", "holm", exact = TRUE)))
writeLines(toJSON(out, auto_unbox = TRUE, digits = NA, pretty = TRUE), "expected.json")
print(sessionInfo())
