# Reference for surveykit.joint_display's survey columns (tests/mixed/test_joint_display.py).
# Per scale and group: n, mean, sd, t-based 95% CI of the mean (t.test(x)$conf.int);
# between groups: Welch t (t.test(y ~ PR01)) and Welch ANOVA over PR02 (oneway.test).
library(jsonlite)
d <- read.csv("input.csv")
out <- list()
for (s in c("administrative_barriers", "goodwill_trust", "benefit_sharing")) {
  rows <- list()
  for (g in c("1", "2", "all")) {
    x <- if (g == "all") d[[s]] else d[[s]][d$PR01 == as.integer(g)]
    x <- x[!is.na(x)]
    tt <- t.test(x)
    rows[[g]] <- list(n = length(x), mean = mean(x), sd = sd(x),
                      ci_low = tt$conf.int[1], ci_high = tt$conf.int[2])
  }
  w <- t.test(d[[s]] ~ d$PR01)
  a <- oneway.test(d[[s]] ~ factor(d$PR02))
  out[[s]] <- list(groups = rows,
                   welch = list(statistic = unname(w$statistic), df = unname(w$parameter),
                                p_value = w$p.value),
                   welch_anova_PR02 = list(statistic = unname(a$statistic),
                                           df1 = unname(a$parameter[1]), df2 = unname(a$parameter[2]),
                                           p_value = a$p.value))
}
writeLines(toJSON(out, digits = NA, auto_unbox = TRUE, pretty = TRUE), "expected.json")
print(sessionInfo())
