# Reliability when one item was answered by almost nobody: psych::bfi A1-A5 (../bfi/input.csv,
# 2800 respondents) with A1 kept only in the first 5 rows ("five"), or in rows 1 and 3 ("two").
# five: the pairwise correlation matrix is indefinite (a negative eigenvalue); psych::alpha
#       still reports alpha (smoothing for G6) but psych::fa(fm = "ml"), which surveykit's
#       omega_total uses, stops ("L-BFGS-B needs finite values of 'fn'").
# two:  A1 has a zero-variance pair, psych::alpha stops on NAs in the correlation matrix.
# Run from this folder: Rscript generate.R
suppressMessages({library(psych); library(jsonlite)})
d <- read.csv("../bfi/input.csv")
x <- d[, paste0("A", 1:5)]
five <- x; five$A1[-(1:5)] <- NA
two <- x; two$A1[-c(1, 3)] <- NA
a <- suppressWarnings(psych::alpha(five, check.keys = FALSE, warnings = FALSE))
ml <- tryCatch(suppressWarnings(psych::fa(five, nfactors = 1, fm = "ml")),
               error = function(e) conditionMessage(e))
stopifnot(is.character(ml))
a2 <- tryCatch(suppressWarnings(psych::alpha(two, check.keys = FALSE)), error = function(e) conditionMessage(e))
stopifnot(is.character(a2))
tot <- a$total; it <- a$item.stats; dr <- a$alpha.drop
out <- list(
  five = list(keep_rows = 1:5, eigen_min = min(eigen(cor(five, use = "pairwise"))$values),
    alpha = tot$raw_alpha, std_alpha = tot$std.alpha, g6 = tot[["G6(smc)"]],
    average_r = tot$average_r, signal_noise = tot[["S/N"]], ase = tot$ase, mean = tot$mean,
    sd = tot$sd, median_r = tot$median_r, n_items = unname(it$n),
    r_cor = unname(it$r.cor), r_drop = unname(it$r.drop), raw_r = unname(it$raw.r),
    alpha_if_deleted = unname(dr$raw_alpha), g6_if_deleted = unname(dr[["G6(smc)"]]),
    fa_ml_error = ml),
  two = list(keep_rows = c(1, 3), alpha_error = a2),
  tolerance = list(rtol = 1e-6))
writeLines(toJSON(out, auto_unbox = TRUE, digits = NA, pretty = TRUE), "expected.json")
print(sessionInfo())
