# Reference for surveykit.regress(blocks=...): hierarchical (blockwise) OLS.
# Data: simulated here (set.seed below) and written to input.csv: 320 cadres with profile
# controls (gender 0/1, age, government level as text, tenure band coded 1-4 = a factor) and
# three predictors, with missing values scattered over the outcome, controls and predictors.
# Every step is fitted on the same complete rows (na.omit over all blocks' variables);
# the change test of step k is anova(m_{k-1}, m_k) with m_0 = lm(y ~ 1) on those rows;
# beta = slopes of lm(scale(y) ~ scale(X)) with X the model matrix without intercept;
# VIF = car::vif (GVIF, first column, repeated on each dummy row of a factor).
# Run: Rscript generate.R
library(jsonlite)
set.seed(20261203)
n <- 320
gender <- rbinom(n, 1, 0.45)
age <- round(rnorm(n, 42, 8))
level <- sample(c("county", "city", "province"), n, replace = TRUE, prob = c(0.5, 0.35, 0.15))
tenure <- sample(1:4, n, replace = TRUE)
p1 <- rnorm(n)
p2 <- 0.4 * p1 + rnorm(n)
p3 <- 0.3 * p1 + 0.2 * p2 + rnorm(n)
lv <- c(county = 0, city = 0.2, province = 0.5)[level]
y <- 3 + 0.1 * gender + 0.01 * age + lv + 0.1 * tenure + 0.3 * p1 + 0.2 * p2 + 0.15 * p3 + rnorm(n)
d <- data.frame(y = round(y, 3), gender = gender, age = age, level = level, tenure = tenure,
                p1 = round(p1, 3), p2 = round(p2, 3), p3 = round(p3, 3))
for (v in c("y", "age", "level", "p2", "p3")) d[[v]][sample(n, 6)] <- NA
write.csv(d, "input.csv", row.names = FALSE, na = "")

d <- read.csv("input.csv", na.strings = "")
steps <- function(y, blocks, categorical = character(), level = 0.95) {
  dd <- d
  for (v in categorical) dd[[v]] <- factor(dd[[v]])
  vars <- unlist(blocks)
  cc <- na.omit(dd[, c(y, vars)])
  prev <- lm(reformulate("1", y), data = cc)
  out <- list()
  for (k in seq_along(blocks)) {
    x <- unlist(blocks[1:k])
    fit <- lm(reformulate(x, y), data = cc); s <- summary(fit); cf <- coef(s)
    X <- model.matrix(fit)[, -1, drop = FALSE]
    sfit <- lm(scale(cc[[y]]) ~ scale(X))
    vif <- if (length(x) > 1) {
      v <- car::vif(fit); g <- if (is.matrix(v)) v[, 1] else v
      unname(g[attr(model.matrix(fit), "assign")[-1]])
    } else rep(1, ncol(X))
    a <- anova(prev, fit)
    ci <- confint(fit, level = level)
    out[[k]] <- list(term = c("intercept", colnames(X)), estimate = unname(cf[, 1]),
      se = unname(cf[, 2]), statistic = unname(cf[, 3]), p_value = unname(cf[, 4]),
      df = fit$df.residual, ci_low = unname(ci[, 1]), ci_high = unname(ci[, 2]),
      std_estimate = unname(coef(sfit)[-1]), vif = vif,
      r_squared = s$r.squared, adj_r_squared = s$adj.r.squared,
      delta_r_squared = s$r.squared - summary(prev)$r.squared,
      f_change = a$F[2], df1 = a$Df[2], df2 = a$Res.Df[2], p_change = a$`Pr(>F)`[2],
      f_statistic = unname(s$fstatistic[1]), f_df1 = unname(s$fstatistic[2]),
      f_p_value = unname(pf(s$fstatistic[1], s$fstatistic[2], s$fstatistic[3], lower.tail = FALSE)))
    prev <- fit
  }
  list(y = y, blocks = blocks, categorical = categorical, level = level, n = nrow(cc),
       n_dropped = nrow(d) - nrow(cc), steps = out)
}
out <- list(cases = list(
  steps("y", list(c("gender", "age", "level", "tenure"), c("p1", "p2"), "p3"), categorical = "tenure"),
  steps("y", list("age", c("level", "p1")), level = 0.9)))
writeLines(toJSON(out, auto_unbox = FALSE, digits = NA, pretty = TRUE), "expected.json")
print(sessionInfo())
