# Reference for surveykit.analysis.regression.spearman: cor.test(method = "spearman") exact p values for
# untied rankings (enumeration n <= 9, Edgeworth series AS 89 for 10 <= n < 1290), including
# rho = 1 and rho = -1. Run from this folder: Rscript generate.R
suppressMessages(library(jsonlite))
set.seed(7); out <- list()
for (n in c(3, 4, 5, 6, 7, 8, 9, 10, 11, 15, 20, 35, 60, 150, 700, 1289)) for (rep in 1:4) {
  x <- sample(n)
  y <- if (rep == 1) x else if (rep == 2) rev(x) else if (rep == 3) sample(n) else { z <- x; z[1:2] <- z[2:1]; z }
  r <- cor.test(x, y, method = "spearman")
  out[[length(out) + 1]] <- list(n = n, rho = unname(r$estimate), S = unname(r$statistic), p_value = r$p.value)
}
writeLines(toJSON(list(cases = out), auto_unbox = TRUE, digits = NA, pretty = TRUE), "expected.json")
print(sessionInfo())
