# Reference values for surveykit.score (tests/scoring/test_score.py).
#
# Run from this folder:   Rscript generate.R
# Writes input.csv (simulated 5-point answers with -99 refused / -98 don't know codes and
# empty cells, seed fixed) and expected.json.
#
# Scales (as declared in tests/scoring/conftest.py):
#   sub_a = A1..A4 (mean, min_valid 3)      sub_b = B1, -B2, B3, B4 (mean, min_valid 3)
#   sub_c = C1..C3, -C4 (SUM, min_valid 3)  total = all 12 items (mean, min_valid 8)
# Reverse keying: 1 + 5 - x.
#
# Two expectations per scale:
#  * psych: psych::scoreItems(keys, items, impute = "none", min = 1, max = 5) — equals
#    surveykit on complete respondents (psych averages whatever was answered otherwise);
#  * meann: SPSS's MEAN.n / SUM.n rule (score only with >= n valid items), which psych has no
#    option for, written here with base R rowMeans/rowSums — equals surveykit everywhere.
suppressPackageStartupMessages({library(psych); library(jsonlite)})

set.seed(42)
n <- 80
items <- c(paste0("A", 1:4), paste0("B", 1:4), paste0("C", 1:4))
eta <- matrix(rnorm(n * 3), n)
x <- sapply(seq_along(items), function(j) {
  f <- (j - 1) %/% 4 + 1
  as.integer(cut(0.8 * eta[, f] + rnorm(n, sd = 0.6), c(-Inf, -1.2, -0.4, 0.4, 1.2, Inf)))
})
colnames(x) <- items
x[, "B2"] <- 6L - x[, "B2"]; x[, "C4"] <- 6L - x[, "C4"]          # reverse-keyed items
codes <- matrix(sample(c(NA, -99L, -98L), n * 12, replace = TRUE, prob = c(.6, .2, .2)), n)
hole <- matrix(runif(n * 12) < 0.12, n)
x[hole] <- codes[hole]
x[4, 2:12] <- NA; x[5, c(1, 2, 5, 6, 9, 10)] <- -99L             # rows 4-5: very incomplete
write.csv(x, "input.csv", row.names = FALSE, na = "")

d <- as.data.frame(x)
d[d == -99 | d == -98] <- NA                                      # missing codes -> NA
keys <- list(sub_a = c("A1", "A2", "A3", "A4"), sub_b = c("B1", "-B2", "B3", "B4"),
             sub_c = c("C1", "C2", "C3", "-C4"),
             total = c("A1", "A2", "A3", "A4", "B1", "-B2", "B3", "B4", "C1", "C2", "C3", "-C4"))
kind <- c(sub_a = "mean", sub_b = "mean", sub_c = "sum", total = "mean")
min_valid <- c(sub_a = 3, sub_b = 3, sub_c = 3, total = 8)

ps_mean <- scoreItems(keys, d, impute = "none", min = 1, max = 5)$scores
ps_sum <- suppressWarnings(scoreItems(keys, d, totals = TRUE, impute = "none", min = 1, max = 5)$scores)

keyed <- d
for (it in c("B2", "C4")) keyed[[it]] <- 1 + 5 - keyed[[it]]
num <- function(v) { v <- as.numeric(v); v[is.nan(v)] <- NA; v }
out <- list(description = "score(): psych::scoreItems(impute='none') and the MEAN.n/SUM.n rule",
            r_version = R.version.string, psych_version = as.character(packageVersion("psych")),
            rtol = 1e-6, scales = list())
for (s in names(keys)) {
  its <- sub("^-", "", keys[[s]])
  nv <- rowSums(!is.na(keyed[, its]))
  raw <- if (kind[[s]] == "mean") rowMeans(keyed[, its], na.rm = TRUE) else rowSums(keyed[, its], na.rm = TRUE)
  meann <- ifelse(nv >= min_valid[[s]], raw, NA)                 # SPSS MEAN.n / SUM.n
  psy <- if (kind[[s]] == "mean") ps_mean[, s] else ps_sum[, s]
  out$scales[[s]] <- list(score = kind[[s]], min_valid = min_valid[[s]], n_valid = nv,
                          psych = num(psy), meann = num(meann),
                          z = num(as.numeric(scale(meann))),
                          complete = as.logical(nv == length(its)))
}
out$session_info <- capture.output(sessionInfo())
writeLines(toJSON(out, digits = NA, na = "null", auto_unbox = TRUE, pretty = TRUE), "expected.json")
sessionInfo()
