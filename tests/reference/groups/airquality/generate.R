# Reference for surveykit.compare_groups with missing values and unequal groups:
# R's airquality (New York 1973). Ozone has 37 missing values; Month (5 groups, unequal
# after dropping the missing Ozone) also gets two missing values here (rows 3 and 50) so
# both kinds of dropped rows are exercised. heat = "hot" if Temp > 85 else "mild"
# (2 unequal groups, ties in Ozone -> wilcox.test uses the normal approximation).
# Run from this folder: Rscript generate.R
source("../formulas.R")
d <- airquality
d$Month[c(3, 50)] <- NA
d$heat <- ifelse(d$Temp > 85, "hot", "mild")
write.csv(d, "input.csv", row.names = FALSE, na = "")
d <- read.csv("input.csv", na.strings = "")
out <- list(source = "datasets::airquality with Month[c(3, 50)] <- NA; heat = ifelse(Temp > 85, 'hot', 'mild')",
  comparisons = list(compare_all(d, "Ozone", "Month", p_adjust = "holm"),
                     compare_all(d, "Ozone", "heat", p_adjust = "BH"),
                     compare_all(d, "Solar.R", "Month", level = 0.9, p_adjust = "bonferroni")))
out$tolerance <- list(rtol = 1e-6, ptukey_atol = 1e-10,
  reason = paste("R's ptukey(lower.tail = FALSE) is 1 - cdf with absolute error up to ~5e-12 (airquality heat: R 5.2e-12, exact 1.2e-13), so",
                 "Tukey / Games-Howell adjusted p values are compared with atol = 1e-10 (rtol 1e-6 governs every p above 1e-4)"))
writeLines(toJSON(out, auto_unbox = TRUE, digits = NA, pretty = TRUE), "expected.json")
print(sessionInfo())
