# Reference for surveykit.compare_groups: untied continuous data (set.seed(42) normal draws,
# groups of 60 and 45, plus a third group of 12) so wilcox.test takes the normal approximation
# WITHOUT ties (n >= 50) and the three-group tests see very unequal n.
# Run from this folder: Rscript generate.R
source("../formulas.R")
set.seed(42)
d <- data.frame(y = c(rnorm(60, 10, 2), rnorm(45, 11, 3), rnorm(12, 9, 1)),
                g = rep(c("a", "b", "c"), c(60, 45, 12)))
d$two <- ifelse(d$g == "c", NA, d$g)
write.csv(d, "input.csv", row.names = FALSE, na = "")
d <- read.csv("input.csv", na.strings = "")
stopifnot(!anyDuplicated(d$y))
out <- list(source = "set.seed(42); y ~ N(10, 2) n=60, N(11, 3) n=45, N(9, 1) n=12",
  comparisons = list(compare_all(d, "y", "two", p_adjust = "BY"),
                     compare_all(d, "y", "g", p_adjust = "hochberg")))
stopifnot(!out$comparisons[[1]]$mannwhitney$exact)
out$tolerance <- list(rtol = 1e-6, ptukey_atol = 1e-10,
  reason = "R's ptukey(lower.tail = FALSE) is 1 - cdf; see ../holzinger/generate.R")
writeLines(toJSON(out, auto_unbox = TRUE, digits = NA, pretty = TRUE), "expected.json")
print(sessionInfo())
