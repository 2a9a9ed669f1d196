# Reference for surveykit.regress: summary(lm()), confint(), lm() on scale()d complete rows,
# car::vif() (GVIF for factors); factors with treatment contrasts. Data: airquality (missing values; ../groups/airquality/input.csv) and
# Holzinger & Swineford (1939) (../groups/holzinger/input.csv). Run: Rscript generate.R
source("../groups/formulas.R")
one <- function(file, y, x, level = 0.95, categorical = character()) {
  d <- read.csv(file, na.strings = "")
  for (v in categorical) d[[v]] <- factor(d[[v]])
  f <- reformulate(x, y); fit <- lm(f, data = d); s <- summary(fit); cf <- coef(s)
  cc <- na.omit(d[, c(y, x)])
  # standardised: slopes of lm(scale(y) ~ scale(X)), X = model matrix without intercept
  X <- model.matrix(fit)[, -1, drop = FALSE]
  sfit <- lm(scale(cc[[y]]) ~ scale(X))
  # car::vif: VIF, or GVIF for factors (first column), repeated on each dummy row
  vif <- if (length(x) > 1) {
    v <- car::vif(fit); g <- if (is.matrix(v)) v[, 1] else v
    unname(g[attr(model.matrix(fit), "assign")[-1]])
  } else rep(1, ncol(X))
  ci <- confint(fit, level = level)
  list(file = file, y = y, x = x, level = level, n = nrow(cc), n_dropped = nrow(d) - nrow(cc),
       categorical = categorical, term = c("intercept", colnames(X)), estimate = unname(cf[, 1]), se = unname(cf[, 2]),
       statistic = unname(cf[, 3]), p_value = unname(cf[, 4]), df = fit$df.residual,
       ci_low = unname(ci[, 1]), ci_high = unname(ci[, 2]), std_estimate = unname(coef(sfit)[-1]),
       vif = vif, r_squared = s$r.squared, adj_r_squared = s$adj.r.squared,
       f_statistic = unname(s$fstatistic[1]), df1 = unname(s$fstatistic[2]), df2 = unname(s$fstatistic[3]),
       f_p_value = unname(pf(s$fstatistic[1], s$fstatistic[2], s$fstatistic[3], lower.tail = FALSE)),
       sigma = s$sigma)
}
A <- "../groups/airquality/input.csv"; H <- "../groups/holzinger/input.csv"
out <- list(cases = list(one(A, "Ozone", c("Solar.R", "Wind", "Temp")),
                         one(A, "Ozone", "Temp", level = 0.9),
                         one(H, "x9", c("x7", "x8", "ageyr", "grade")),
                         one(H, "x9", c("x7", "school", "ageyr", "sex"), categorical = c("ageyr", "sex")),
                         one(A, "Ozone", c("Wind", "Temp", "Month", "heat"), categorical = "Month")))
writeLines(toJSON(out, auto_unbox = TRUE, digits = NA, pretty = TRUE), "expected.json")
print(sessionInfo())
