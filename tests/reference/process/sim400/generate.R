# PROCESS-style reference on simulated data (make_input.R writes input.csv).
# The bootstrap resamples are surveykit's own (numpy default_rng(7).integers(0, 400, (1000, 400)),
# written 1-based to boot_idx.csv.gz), so R refits lm on the very same resamples.
# Limits are PROCESS's order statistics: L = round(B*a/2) (halves up), U = floor(B*(1-a/2)) + 1.
library(jsonlite)
d <- read.csv("input.csv")
idx <- as.matrix(read.csv(gzfile("boot_idx.csv.gz"), header = FALSE))
B <- nrow(idx); a <- 0.05
ord <- function(p_lo, p_hi) c(max(1, min(B, floor(B * p_lo + 0.5))), max(1, min(B, floor(B * p_hi) + 1)))
perc <- function(b) { s <- sort(b); s[ord(a / 2, 1 - a / 2)] }
bc <- function(b, est) { z0 <- qnorm(mean(b < est)); s <- sort(b)
  s[ord(pnorm(2 * z0 + qnorm(a / 2)), pnorm(2 * z0 + qnorm(1 - a / 2)))] }
coefs <- function(fit) { s <- summary(fit)$coefficients; ci <- confint(fit)
  list(term = rownames(s), estimate = unname(s[, 1]), se = unname(s[, 2]), statistic = unname(s[, 3]),
       p_value = unname(s[, 4]), ci_low = unname(ci[, 1]), ci_high = unname(ci[, 2]), df = fit$df.residual) }
# ---- model 4: x -> m1, m2 (parallel) -> y, covariate c1
m4 <- function(dd) { f1 <- lm(m1 ~ x + c1, dd); f2 <- lm(m2 ~ x + c1, dd); fy <- lm(y ~ x + m1 + m2 + c1, dd)
  i1 <- coef(f1)["x"] * coef(fy)["m1"]; i2 <- coef(f2)["x"] * coef(fy)["m2"]; k <- sd(dd$x) / sd(dd$y)
  unname(c(i1, i2, i1 + i2, i1 * k, i2 * k, (i1 + i2) * k)) }
est4 <- m4(d); boot4 <- t(apply(idx, 1, function(r) m4(d[r, ])))
model4 <- list(
  total = coefs(lm(y ~ x + c1, d)), m1 = coefs(lm(m1 ~ x + c1, d)), m2 = coefs(lm(m2 ~ x + c1, d)),
  y = coefs(lm(y ~ x + m1 + m2 + c1, d)),
  effects = c("indirect_m1", "indirect_m2", "total_indirect", "std_indirect_m1", "std_indirect_m2", "std_total_indirect"),
  estimate = est4, boot_se = apply(boot4, 2, sd),
  perc_low = apply(boot4, 2, function(b) perc(b)[1]), perc_high = apply(boot4, 2, function(b) perc(b)[2]),
  bc_low = sapply(1:6, function(j) bc(boot4[, j], est4[j])[1]), bc_high = sapply(1:6, function(j) bc(boot4[, j], est4[j])[2]))
# ---- model 7: x -> m1 -> y, a path moderated by w (uncentred, as PROCESS by default), covariate c1
wv <- mean(d$w) + c(-1, 0, 1) * sd(d$w)
m7 <- function(dd, wv) { f1 <- lm(m1 ~ x * w + c1, dd); fy <- lm(y ~ x + m1 + c1, dd)
  b <- coef(fy)["m1"]; a1 <- coef(f1)["x"]; a3 <- coef(f1)["x:w"]
  unname(c((a1 + a3 * wv) * b, a3 * b)) }
est7 <- m7(d, wv); boot7 <- t(apply(idx, 1, function(r) m7(d[r, ], wv)))
model7 <- list(m1 = coefs(lm(m1 ~ x * w + c1, d)), y = coefs(lm(y ~ x + m1 + c1, d)), w_values = wv,
  effects = c("conditional_indirect_lo", "conditional_indirect_mid", "conditional_indirect_hi", "index_mm"),
  estimate = est7, boot_se = apply(boot7, 2, sd),
  perc_low = apply(boot7, 2, function(b) perc(b)[1]), perc_high = apply(boot7, 2, function(b) perc(b)[2]),
  bc_low = sapply(1:4, function(j) bc(boot7[, j], est7[j])[1]), bc_high = sapply(1:4, function(j) bc(boot7[, j], est7[j])[2]))

bootset <- function(f, names) { est <- f(d); bt <- t(apply(idx, 1, function(r) f(d[r, ])))
  k <- length(est)
  list(effects = names, estimate = est, boot_se = apply(bt, 2, sd),
       perc_low = apply(bt, 2, function(b) perc(b)[1]), perc_high = apply(bt, 2, function(b) perc(b)[2]),
       bc_low = sapply(1:k, function(j) bc(bt[, j], est[j])[1]), bc_high = sapply(1:k, function(j) bc(bt[, j], est[j])[2])) }
# ---- model 6: x -> m1 -> m2 -> y (serial), covariate c1
m6 <- function(dd) { f1 <- lm(m1 ~ x + c1, dd); f2 <- lm(m2 ~ x + m1 + c1, dd); fy <- lm(y ~ x + m1 + m2 + c1, dd)
  a1 <- coef(f1)["x"]; a2 <- coef(f2)["x"]; d21 <- coef(f2)["m1"]; b1 <- coef(fy)["m1"]; b2 <- coef(fy)["m2"]
  i <- unname(c(a1 * b1, a2 * b2, a1 * d21 * b2)); k <- sd(dd$x) / sd(dd$y); c(i, sum(i), i * k, sum(i) * k) }
model6 <- c(list(m2 = coefs(lm(m2 ~ x + m1 + c1, d))),
  bootset(m6, c("ind_m1", "ind_m2", "ind_m1_m2", "total_indirect", "std_m1", "std_m2", "std_m1_m2", "std_total")))
# ---- model 8: w moderates x -> m1 and x -> y
f8y <- lm(y ~ x * w + m1 + c1, d); V8 <- vcov(f8y)
cd <- coef(f8y)["x"] + coef(f8y)["x:w"] * wv
cdse <- sqrt(V8["x", "x"] + wv^2 * V8["x:w", "x:w"] + 2 * wv * V8["x", "x:w"])
m8 <- function(dd) { f1 <- lm(m1 ~ x * w + c1, dd); fy <- lm(y ~ x * w + m1 + c1, dd)
  b <- coef(fy)["m1"]; unname(c((coef(f1)["x"] + coef(f1)["x:w"] * wv) * b, coef(f1)["x:w"] * b)) }
model8 <- c(list(y = coefs(f8y), direct = unname(cd), direct_se = unname(cdse),
  direct_ci_low = unname(cd - qt(0.975, f8y$df.residual) * cdse), direct_ci_high = unname(cd + qt(0.975, f8y$df.residual) * cdse)),
  bootset(m8, c("cond_lo", "cond_mid", "cond_hi", "index_mm")))
# ---- model 14: w moderates m1 -> y
m14 <- function(dd) { f1 <- lm(m1 ~ x + c1, dd); fy <- lm(y ~ x + m1 * w + c1, dd)
  a <- coef(f1)["x"]; unname(c(a * (coef(fy)["m1"] + coef(fy)["m1:w"] * wv), a * coef(fy)["m1:w"])) }
model14 <- c(list(y = coefs(lm(y ~ x + m1 * w + c1, d))), bootset(m14, c("cond_lo", "cond_mid", "cond_hi", "index_mm")))
# ---- model 1: y ~ x * w + c1, mean-centred x and w; simple slopes of x at mean(w) + (-1, 0, 1) sd
dc <- transform(d, x = x - mean(x), w = w - mean(w))
f1 <- lm(y ~ x * w + c1, dc); V <- vcov(f1); ws <- c(-1, 0, 1) * sd(d$w)
slope <- coef(f1)["x"] + coef(f1)["x:w"] * ws
sse <- sqrt(V["x", "x"] + ws^2 * V["x:w", "x:w"] + 2 * ws * V["x", "x:w"])
tq <- qt(0.975, f1$df.residual)
model1 <- list(fit = coefs(f1), w_values = mean(d$w) + ws, slope = unname(slope), se = unname(sse),
  statistic = unname(slope / sse), p_value = unname(2 * pt(-abs(slope / sse), f1$df.residual)),
  ci_low = unname(slope - tq * sse), ci_high = unname(slope + tq * sse))
# ---- model 3: y ~ x * w * c1 + m2, x, w and c1 mean-centred; the conditional effect of x at
# w = mean + (-1, 0, 1) sd and c1 = 0, 1 (a dichotomous moderator is probed at its two values),
# and the conditional x:w interaction at each c1
d3 <- transform(d, x = x - mean(x), w = w - mean(w), c1 = c1 - mean(c1))
f3 <- lm(y ~ x * w * c1 + m2, d3); V3 <- vcov(f3); b3 <- coef(f3); tq3 <- qt(0.975, f3$df.residual)
g3 <- expand.grid(w = c(-1, 0, 1) * sd(d$w), z = c(0, 1) - mean(d$c1))
L3 <- cbind(`(Intercept)` = 0, x = 1, w = 0, c1 = 0, m2 = 0, `x:w` = g3$w, `x:c1` = g3$z, `w:c1` = 0,
            `x:w:c1` = g3$w * g3$z)[, names(b3)]
s3 <- drop(L3 %*% b3); se3 <- sqrt(diag(L3 %*% V3 %*% t(L3)))
Li <- cbind(`(Intercept)` = 0, x = 0, w = 0, c1 = 0, m2 = 0, `x:w` = 1, `x:c1` = 0, `w:c1` = 0,
            `x:w:c1` = c(0, 1) - mean(d$c1))[, names(b3)]
si <- drop(Li %*% b3); sei <- sqrt(diag(Li %*% V3 %*% t(Li)))
model3 <- list(fit = coefs(f3), r_squared = summary(f3)$r.squared,
  w_values = mean(d$w) + g3$w, z_values = g3$z + mean(d$c1),
  slope = unname(s3), se = unname(se3), statistic = unname(s3 / se3),
  p_value = unname(2 * pt(-abs(s3 / se3), f3$df.residual)),
  ci_low = unname(s3 - tq3 * se3), ci_high = unname(s3 + tq3 * se3),
  interaction_z_values = c(0, 1), interaction = unname(si), interaction_se = unname(sei),
  interaction_p_value = unname(2 * pt(-abs(si / sei), f3$df.residual)),
  f_change = anova(lm(y ~ x * w * c1 + m2 - x:w:c1, d3), f3)$F[2])
write_json(list(model4 = model4, model6 = model6, model7 = model7, model8 = model8, model14 = model14, model1 = model1, model3 = model3, n_boot = B, seed = 7),
           "expected.json", digits = NA, auto_unbox = TRUE, pretty = TRUE)
print(sessionInfo())
