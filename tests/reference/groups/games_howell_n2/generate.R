# Reference for surveykit.compare_groups(posthoc="games_howell") when a group has n = 2:
# group "c" (n = 2, variance 18) against groups of 10 with variance ~1 gives Welch df ~1.01,
# below 2, where R's ptukey/qtukey are undefined (NaN, "NaNs produced"). rstatix reports
# p.adj, conf.low and conf.high as NaN for those pairs; the unadjusted Welch p (pt) exists.
# Run from this folder: Rscript generate.R
source("../formulas.R")
suppressMessages(library(rstatix))
d <- data.frame(y = c(1.2, 0.3, -0.5, 0.8, 1.9, -1.1, 0.4, 0.0, 0.7, -0.2,
                      2.1, 1.4, 0.9, 2.8, 1.0, 1.7, 2.2, 0.6, 1.3, 1.9, 3, 9),
                g = rep(c("a", "b", "c"), c(10, 10, 2)))
write.csv(d, "input.csv", row.names = FALSE)
d <- read.csv("input.csv"); d$g <- factor(d$g)
gh <- suppressWarnings(games_howell(d$y, d$g, 0.95))
rs <- as.data.frame(suppressWarnings(games_howell_test(d, y ~ g, detailed = TRUE)))
# the formula and rstatix agree (rstatix orders group1 < group2 and rounds p.adj to 3 digits)
for (i in seq_along(gh)) {
  o <- gh[[i]]; r <- rs[rs$group1 == o$group_b & rs$group2 == o$group_a, ]
  stopifnot(abs(r$estimate - o$estimate) < 1e-12, abs(r$df - o$df) < 1e-9,
            identical(is.nan(r$conf.low), is.nan(o$ci_low)), identical(is.nan(r$p.adj), is.nan(o$p_adjusted)))
}
nan_to_null <- function(o) lapply(o, function(v) if (is.numeric(v) && is.nan(v)) NA else v)
out <- list(source = "inline data: a, b n = 10 (sd ~ 0.9); c n = 2 (3, 9)",
  nan_means = "null in JSON is R's NaN (ptukey/qtukey with df < 2)",
  games_howell = lapply(gh, nan_to_null),
  rstatix = rs[, c("group1", "group2", "estimate", "conf.low", "conf.high", "df", "p.adj")],
  tolerance = list(rtol = 1e-6, ptukey_atol = 1e-10,
    reason = "R's ptukey(lower.tail = FALSE) is 1 - cdf; see ../holzinger/generate.R"))
writeLines(toJSON(out, auto_unbox = TRUE, digits = NA, pretty = TRUE, na = "null"), "expected.json")
print(sessionInfo())
