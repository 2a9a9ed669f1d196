# Reference for surveykit.compare_groups: R's chickwts (6 feeds, unequal n 10-14).
# pair = feed for horsebean/linseed only (NA otherwise): two small groups without ties,
# so wilcox.test gives the EXACT p value. Run from this folder: Rscript generate.R
source("../formulas.R")
d <- chickwts
d$feed <- as.character(d$feed)
d$pair <- ifelse(d$feed %in% c("horsebean", "linseed"), d$feed, NA)
write.csv(d, "input.csv", row.names = FALSE, na = "")
d <- read.csv("input.csv", na.strings = "")
out <- list(source = "datasets::chickwts; pair = feed if horsebean/linseed else NA",
  comparisons = list(compare_all(d, "weight", "feed", p_adjust = "hommel"),
                     compare_all(d, "weight", "pair", level = 0.99, p_adjust = "holm")))
stopifnot(out$comparisons[[2]]$mannwhitney$exact)
out$tolerance <- list(rtol = 1e-6, ptukey_atol = 1e-10,
  reason = paste("R's ptukey(lower.tail = FALSE) is 1 - cdf with absolute error up to ~5e-12 (airquality heat: R 5.2e-12, exact 1.2e-13), so",
                 "Tukey / Games-Howell adjusted p values are compared with atol = 1e-10 (rtol 1e-6 governs every p above 1e-4)"))
writeLines(toJSON(out, auto_unbox = TRUE, digits = NA, pretty = TRUE), "expected.json")
print(sessionInfo())
