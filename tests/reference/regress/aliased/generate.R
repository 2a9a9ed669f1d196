# Reference for surveykit.regress with a nearly collinear predictor that R's lm drops as aliased.
# mtcars plus combo = wt + hp/100 + 3e-8 * N(0, 1) (set.seed(15)): VIF ~ 1e15, full rank for
# numpy's SVD rank, but lm's pivoted QR (dqrdc2, tol = 1e-7: a column is aliased when its norm
# after the earlier columns falls below 1e-7 times its original norm) drops it.
# The rule is sequential: with combo placed before hp it is hp that is aliased.
# Aliased coefficients are NA (coef(lm), confint); summary(lm) leaves their row out.
# car::vif refuses aliased models ("there are aliased coefficients in the model"), so vif is
# car::vif of the model without the aliased terms. Run from this folder: Rscript generate.R
suppressMessages(library(jsonlite))
set.seed(15)
d <- mtcars[, c("mpg", "wt", "hp", "qsec")]
d$combo <- d$wt + d$hp / 100 + 3e-8 * rnorm(nrow(d))
write.csv(d, "input.csv", row.names = FALSE)
d <- read.csv("input.csv")
one <- function(y, x) {
  fit <- lm(reformulate(x, y), data = d); s <- summary(fit)
  b <- coef(fit); al <- names(b)[is.na(b)]
  stopifnot(length(al) >= 1)
  full <- function(v) unname(v[names(b)])            # NA on aliased rows
  cf <- coef(s)
  X <- model.matrix(fit)[, -1, drop = FALSE]
  sfit <- lm(scale(d[[y]]) ~ scale(X))
  kept <- setdiff(x, al)
  vfit <- lm(reformulate(kept, y), data = d)
  vif <- if (length(kept) > 1) car::vif(vfit) else c(1)
  ci <- confint(fit)
  list(y = y, x = x, aliased = al, term = c("intercept", x),
       estimate = unname(b), se = full(cf[, 2]), statistic = full(cf[, 3]),
       p_value = full(cf[, 4]), ci_low = unname(ci[, 1]), ci_high = unname(ci[, 2]),
       std_estimate = unname(coef(sfit)[-1]), vif = unname(vif[x]), df = fit$df.residual,
       rank = fit$rank, r_squared = s$r.squared, adj_r_squared = s$adj.r.squared,
       f_statistic = unname(s$fstatistic[1]), df1 = unname(s$fstatistic[2]),
       df2 = unname(s$fstatistic[3]), sigma = s$sigma,
       f_p_value = unname(pf(s$fstatistic[1], s$fstatistic[2], s$fstatistic[3], lower.tail = FALSE)),
       n = nrow(d))
}
# the VIF of combo among the other predictors, SST/SSE of lm(combo ~ wt + hp + qsec)
# (car::vif refuses the aliased model; solve(cor(X)) is computationally singular)
aux <- lm(combo ~ wt + hp + qsec, data = d)
vif_combo <- sum((d$combo - mean(d$combo))^2) / sum(residuals(aux)^2)
out <- list(source = "mtcars; combo = wt + hp/100 + 3e-8 * rnorm(32), set.seed(15)",
  vif_combo = vif_combo,
  cases = list(one("mpg", c("wt", "hp", "qsec", "combo")), one("mpg", c("wt", "combo", "hp"))),
  tolerance = list(rtol = 1e-6, reason = "every cell; NA = aliased (null in JSON)"))
writeLines(toJSON(out, auto_unbox = TRUE, digits = NA, pretty = TRUE, na = "null"), "expected.json")
print(sessionInfo())
