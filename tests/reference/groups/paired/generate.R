# Reference for surveykit.compare_paired: paired t and Wilcoxon signed-rank tests with effect sizes.
# The change is after - before: t.test(after, before, paired = TRUE) and
# wilcox.test(after, before, paired = TRUE, conf.int = TRUE, correct = TRUE) (exact = NULL: R's
# own rule, exact when n < 50 non-zero differences without ties); effectsize 0.8.3
# cohens_d / hedges_g (paired = TRUE: d_z = mean(diff) / sd(diff), noncentral-t CI) and
# rank_biserial (paired = TRUE: Fisher-z CI with SE sqrt((2n^3 + 3n^2 + n)/6) / (n(n+1)/2)).
# Pairs with a missing value are dropped first (na.omit on the pair).
# Cases: sleep (datasets::sleep, n = 10, a zero difference and ties -> normal approximation and
# uniroot CI), untied (set.seed(15), n = 20 -> exact test, Walsh-average CI), likert
# (set.seed(16), n = 80 five-point item means in two waves with 6 pairs incomplete -> ties, zeros).
# Run from this folder: Rscript generate.R
suppressMessages({library(jsonlite); library(effectsize)})
sleep_w <- data.frame(id = 1:10, before = sleep$extra[sleep$group == 1],
                      after = sleep$extra[sleep$group == 2])
set.seed(15)
b <- round(rnorm(20, 50, 10), 3); untied <- data.frame(before = b, after = round(b + rnorm(20, 2, 4), 3))
set.seed(16)
lb <- sample(1:5, 80, TRUE, prob = c(.1, .2, .3, .25, .15))
la <- pmin(5, pmax(1, lb + sample(-1:2, 80, TRUE, prob = c(.2, .4, .3, .1))))
likert <- data.frame(before = lb, after = la)
likert$before[c(3, 17, 40)] <- NA; likert$after[c(17, 55, 61, 70)] <- NA
write.csv(sleep_w, "sleep.csv", row.names = FALSE)
write.csv(untied, "untied.csv", row.names = FALSE)
write.csv(likert, "likert.csv", row.names = FALSE, na = "")
one <- function(file, level = 0.95) {
  d <- read.csv(file, na.strings = "")
  cc <- d[complete.cases(d[, c("before", "after")]), ]
  a <- cc$after; b <- cc$before; diff <- a - b
  tt <- t.test(a, b, paired = TRUE, conf.level = level)
  ww <- withCallingHandlers(wilcox.test(a, b, paired = TRUE, conf.int = TRUE, correct = TRUE,
                                        conf.level = level),
                            warning = function(w) invokeRestart("muffleWarning"))
  cd <- cohens_d(a, b, paired = TRUE, ci = level)
  hg <- hedges_g(a, b, paired = TRUE, ci = level)
  rb <- rank_biserial(a, b, paired = TRUE, ci = level, verbose = FALSE)
  list(file = file, level = level, n = nrow(cc), n_dropped = nrow(d) - nrow(cc),
       n_zero = sum(diff == 0),
       t = list(statistic = unname(tt$statistic), df = unname(tt$parameter),
                p_value = tt$p.value, estimate = unname(tt$estimate),
                ci_low = tt$conf.int[1], ci_high = tt$conf.int[2], se = tt$stderr),
       wilcoxon = list(statistic = unname(ww$statistic), p_value = ww$p.value,
                       estimate = unname(ww$estimate), ci_low = ww$conf.int[1],
                       ci_high = ww$conf.int[2], method = ww$method,
                       exact = grepl("exact", ww$method)),
       cohens_d = list(estimate = cd$Cohens_d, ci_low = cd$CI_low, ci_high = cd$CI_high),
       hedges_g = list(estimate = hg$Hedges_g, ci_low = hg$CI_low, ci_high = hg$CI_high),
       rank_biserial = list(estimate = rb$r_rank_biserial, ci_low = rb$CI_low, ci_high = rb$CI_high),
       descriptives = list(mean_before = mean(b), mean_after = mean(a), sd_before = sd(b),
                           sd_after = sd(a), mean_diff = mean(diff), sd_diff = sd(diff),
                           median_before = median(b), median_after = median(a),
                           median_diff = median(diff)))
}
out <- list(cases = list(one("sleep.csv"), one("untied.csv"), one("untied.csv", level = 0.9),
                         one("likert.csv")),
            tolerance = list(rtol = 1e-6, wilcoxon_ci_rtol = 1e-6,
              reason = "every cell at 1e-6; R's approximate Wilcoxon interval is a uniroot (tol 1e-4) root, reproduced step for step"))
writeLines(toJSON(out, auto_unbox = TRUE, digits = NA, pretty = TRUE), "expected.json")
print(sessionInfo())
