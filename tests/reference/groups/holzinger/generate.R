# Reference for surveykit.compare_groups on Holzinger & Swineford (1939), as shipped with
# lavaan (input.csv = /work/shared/reference/holzinger1939.csv). textual = mean(x4, x5, x6).
# Run from this folder: Rscript generate.R
source("../formulas.R")
d <- read.csv("input.csv", na.strings = "")
d$textual <- rowMeans(d[, c("x4", "x5", "x6")])
out <- list(source = "lavaan::HolzingerSwineford1939; textual = rowMeans(x4, x5, x6)",
  comparisons = list(compare_all(d, "textual", "school"), compare_all(d, "textual", "ageyr")))
# the team's shared reference values (make_holzinger_reference.R), same calls:
w <- t.test(textual ~ school, data = d)
av <- summary(aov(textual ~ factor(ageyr), data = d))[[1]]
wa <- oneway.test(textual ~ factor(ageyr), data = d)
kw <- kruskal.test(textual ~ factor(ageyr), data = d)
out$shared <- list(provenance = "copied from /work/shared/reference/holzinger_reference.json (make_holzinger_reference.R)",
  welch_textual_by_school = list(t = 4.94339591560509, df = 297.786691458067, p = 1.28401552659386e-06),
  anova_textual_by_ageyr = list(F = 3.30969357772085, df1 = 5, df2 = 295, p = 0.0063424009563289),
  welch_anova_textual_by_ageyr = list(F = 3.45664803386389, df1 = 5, df2 = 32.8363810576587, p = 0.0127949666040717),
  kruskal_textual_by_ageyr = list(H = 16.0410169818589, df = 5, p = 0.00672793906570008))
stopifnot(abs(w$statistic - 4.94339591560509) < 1e-12, abs(av[["F value"]][1] - 3.30969357772085) < 1e-12,
          abs(wa$statistic - 3.45664803386389) < 1e-12, abs(kw$statistic - 16.0410169818589) < 1e-12)
out$tolerance <- list(rtol = 1e-6, ptukey_atol = 1e-10,
  reason = paste("R's ptukey(lower.tail = FALSE) is 1 - cdf with absolute error up to ~5e-12 (airquality heat: R 5.2e-12, exact 1.2e-13), so",
                 "Tukey / Games-Howell adjusted p values are compared with atol = 1e-10 (rtol 1e-6 governs every p above 1e-4)"))
writeLines(toJSON(out, auto_unbox = TRUE, digits = NA, pretty = TRUE), "expected.json")
print(sessionInfo())
