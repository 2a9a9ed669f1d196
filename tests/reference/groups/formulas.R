# Base-R implementations of every group-comparison number surveykit reports, so the
# reference values come from R itself. Sourced by each case's generate.R.
# Effect-size formulas follow the R package effectsize (not installed here) with
# alternative = "two.sided"; see surveykit/analysis/groups/effect_sizes.py for the definitions.
suppressMessages(library(jsonlite))
TOL <- 1e-13

ncp_t <- function(t, df, level) {
  a <- 1 - level; w <- 10 + 2 * abs(t)
  f <- function(ncp, target) pt(t, df, ncp) - target
  c(uniroot(f, c(t - w, t + w), target = 1 - a / 2, tol = TOL)$root,
    uniroot(f, c(t - w, t + w), target = a / 2, tol = TOL)$root)
}
ncp_F <- function(Fv, df1, df2, level) {
  a <- 1 - level; p0 <- pf(Fv, df1, df2)
  f <- function(l, target) pf(Fv, df1, df2, ncp = l) - target
  lo <- if (p0 <= 1 - a / 2) 0 else uniroot(f, c(0, 10 + 4 * Fv * df1), target = 1 - a / 2, tol = TOL, extendInt = "downX")$root
  hi <- if (p0 <= a / 2) 0 else uniroot(f, c(0, 10 + 4 * Fv * df1), target = a / 2, tol = TOL, extendInt = "downX")$root
  c(lo, hi)
}
ncp_chisq <- function(x2, df, level) {
  a <- 1 - level; p0 <- pchisq(x2, df)
  f <- function(l, target) pchisq(x2, df, ncp = l) - target
  lo <- if (p0 <= 1 - a / 2) 0 else uniroot(f, c(0, 10 + 4 * x2), target = 1 - a / 2, tol = TOL, extendInt = "downX")$root
  hi <- if (p0 <= a / 2) 0 else uniroot(f, c(0, 10 + 4 * x2), target = a / 2, tol = TOL, extendInt = "downX")$root
  c(lo, hi)
}
# Cohen's d (pooled SD) and Hedges' g, noncentral-t CI (effectsize::cohens_d / hedges_g)
cohen_d <- function(x, y, level) {
  n1 <- length(x); n2 <- length(y); df <- n1 + n2 - 2
  sp <- sqrt(((n1 - 1) * var(x) + (n2 - 1) * var(y)) / df)
  d <- (mean(x) - mean(y)) / sp; hn <- 1 / n1 + 1 / n2
  ci <- ncp_t(d / sqrt(hn), df, level) * sqrt(hn)
  J <- exp(lgamma(df / 2) - log(sqrt(df / 2)) - lgamma((df - 1) / 2))
  list(d = d, d_low = ci[1], d_high = ci[2], g = d * J, g_low = ci[1] * J, g_high = ci[2] * J)
}
# rank-biserial r with Fisher-z CI (effectsize::rank_biserial)
rank_biserial <- function(x, y, level) {
  n1 <- length(x); n2 <- length(y); r <- rank(c(x, y))
  U1 <- sum(r[seq_along(x)]) - n1 * (n1 + 1) / 2
  rb <- 2 * U1 / (n1 * n2) - 1
  se <- sqrt((n1 + n2 + 1) / (3 * n1 * n2)); z <- qnorm(1 - (1 - level) / 2)
  list(r = rb, low = tanh(atanh(rb) - z * se), high = tanh(atanh(rb) + z * se))
}
# eta^2 and omega^2 with noncentral-F CIs (effectsize::eta_squared / omega_squared, two-sided)
eta_omega <- function(y, g, level) {
  fit <- summary(aov(y ~ g))[[1]]
  ssb <- fit[["Sum Sq"]][1]; ssw <- fit[["Sum Sq"]][2]; df1 <- fit$Df[1]; df2 <- fit$Df[2]
  Fv <- fit[["F value"]][1]; msw <- ssw / df2; sst <- ssb + ssw
  eta <- ssb / sst; le <- ncp_F(Fv, df1, df2, level)
  om <- (ssb - df1 * msw) / (sst + msw); om0 <- max(0, om)
  lo <- ncp_F((om0 / df1) / ((1 - om0) / df2), df1, df2, level)
  list(eta = eta, eta_low = le[1] / (le[1] + df2), eta_high = le[2] / (le[2] + df2),
       omega = om, omega_low = lo[1] / (lo[1] + df2), omega_high = lo[2] / (lo[2] + df2))
}
# Games-Howell (rstatix::games_howell_test formula), pairs in TukeyHSD (lower.tri) order
games_howell <- function(y, g, level) {
  lev <- levels(g); k <- length(lev); out <- list()
  m <- tapply(y, g, mean); v <- tapply(y, g, var); n <- tapply(y, g, length)
  for (i in 1:(k - 1)) for (j in (i + 1):k) {
    d <- m[j] - m[i]; w <- v[j] / n[j] + v[i] / n[i]
    df <- w^2 / ((v[j] / n[j])^2 / (n[j] - 1) + (v[i] / n[i])^2 / (n[i] - 1))
    t <- d / sqrt(w); crit <- qtukey(level, k, df) / sqrt(2)
    out[[length(out) + 1]] <- list(group_a = lev[j], group_b = lev[i], estimate = unname(d),
      se = unname(sqrt(w)), ci_low = unname(d - crit * sqrt(w)), ci_high = unname(d + crit * sqrt(w)),
      statistic = unname(t), df = unname(df), p_value = unname(2 * pt(-abs(t), df)),
      p_adjusted = unname(ptukey(abs(t) * sqrt(2), k, df, lower.tail = FALSE)))
  }
  # the unadjusted p of each pair is pairwise.t.test's Welch test (pool.sd = FALSE)
  pw <- pairwise.t.test(y, g, p.adjust.method = "none", pool.sd = FALSE)$p.value
  for (o in out) stopifnot(abs(pw[o$group_a, o$group_b] - o$p_value) <= 1e-12 * o$p_value)
  out
}
# Dunn's test (two-sided, tie-corrected; = dunn.test(altp = TRUE)), p.adjust across pairs
dunn <- function(y, g, method, level) {
  lev <- levels(g); k <- length(lev); N <- length(y); r <- rank(y)
  rb <- tapply(r, g, mean); n <- tapply(y, g, length); tt <- table(y)
  s2 <- N * (N + 1) / 12 - sum(tt^3 - tt) / (12 * (N - 1)); out <- list(); ps <- c()
  for (i in 1:(k - 1)) for (j in (i + 1):k) {
    d <- rb[j] - rb[i]; se <- sqrt(s2 * (1 / n[j] + 1 / n[i])); z <- d / se
    zc <- qnorm(1 - (1 - level) / 2)
    out[[length(out) + 1]] <- list(group_a = lev[j], group_b = lev[i], estimate = unname(d),
      se = unname(se), ci_low = unname(d - zc * se), ci_high = unname(d + zc * se),
      statistic = unname(z), p_value = unname(2 * pnorm(-abs(z))))
    ps <- c(ps, 2 * pnorm(-abs(z)))
  }
  pa <- p.adjust(ps, method)
  for (i in seq_along(out)) out[[i]]$p_adjusted <- pa[i]
  out
}
tukey <- function(y, g, level) {
  fit <- aov(y ~ g); tk <- TukeyHSD(fit, conf.level = level)$g
  df <- fit$df.residual; msw <- sum(residuals(fit)^2) / df; n <- tapply(y, g, length)
  lev <- levels(g); k <- length(lev); out <- list(); row <- 0
  for (i in 1:(k - 1)) for (j in (i + 1):k) {  # TukeyHSD row order: lower.tri of outer()
    row <- row + 1; a <- lev[j]; b <- lev[i]
    stopifnot(rownames(tk)[row] == paste(a, b, sep = "-"))
    se <- sqrt(msw * (1 / n[[a]] + 1 / n[[b]])); t <- tk[row, "diff"] / se
    out[[row]] <- list(group_a = a, group_b = b, estimate = tk[row, "diff"], se = se,
      ci_low = tk[row, "lwr"], ci_high = tk[row, "upr"], statistic = t, df = df,
      p_value = 2 * pt(-abs(t), df), p_adjusted = tk[row, "p adj"])
  }
  # the unadjusted p of each pair is pairwise.t.test with the pooled SD
  pw <- pairwise.t.test(y, g, p.adjust.method = "none", pool.sd = TRUE)$p.value
  for (o in out) stopifnot(abs(pw[o$group_a, o$group_b] - o$p_value) <= 1e-12 * o$p_value)
  out
}
describe <- function(y, g, level) {
  lapply(levels(g), function(l) { x <- y[g == l]; n <- length(x); se <- sd(x) / sqrt(n)
    q <- qt(1 - (1 - level) / 2, n - 1)
    list(group = l, n = n, mean = mean(x), sd = sd(x), se = se, ci_low = mean(x) - q * se,
         ci_high = mean(x) + q * se, median = median(x)) })
}
assumptions <- function(y, g) {
  sw <- lapply(levels(g), function(l) { s <- shapiro.test(y[g == l])
    list(group = l, statistic = unname(s$statistic), p_value = s$p.value) })
  lev <- car::leveneTest(y ~ g, center = mean); bf <- car::leveneTest(y ~ g, center = median)
  # same numbers from base R: anova on absolute deviations
  zl <- abs(y - ave(y, g)); zb <- abs(y - ave(y, g, FUN = median))
  a1 <- anova(lm(zl ~ g)); a2 <- anova(lm(zb ~ g))
  stopifnot(abs(a1[1, "F value"] - lev[1, "F value"]) < 1e-10, abs(a2[1, "F value"] - bf[1, "F value"]) < 1e-10)
  list(shapiro = sw,
       levene = list(statistic = lev[1, "F value"], df1 = lev[1, "Df"], df2 = lev[2, "Df"], p_value = lev[1, "Pr(>F)"]),
       brown_forsythe = list(statistic = bf[1, "F value"], df1 = bf[1, "Df"], df2 = bf[2, "Df"], p_value = bf[1, "Pr(>F)"]))
}
# Everything for one (dv, group) comparison on complete cases.
compare_all <- function(d, dv, group, level = 0.95, p_adjust = "holm") {
  n_all <- nrow(d)
  keep <- !is.na(d[[dv]]) & !is.na(d[[group]])
  y <- d[[dv]][keep]; g <- factor(d[[group]][keep]); k <- nlevels(g)
  out <- list(dv = dv, group = group, level = level, p_adjust = p_adjust, n = length(y),
              n_dropped = n_all - length(y), levels = levels(g),
              descriptives = describe(y, g, level), assumptions = assumptions(y, g),
              tukey = tukey(y, g, level), games_howell = games_howell(y, g, level),
              dunn = dunn(y, g, p_adjust, level))
  if (k == 2) {
    x1 <- y[g == levels(g)[1]]; x2 <- y[g == levels(g)[2]]
    st <- t.test(x1, x2, var.equal = TRUE, conf.level = level); we <- t.test(x1, x2, conf.level = level)
    wi <- suppressWarnings(wilcox.test(x1, x2))
    tt <- function(r) list(statistic = unname(r$statistic), df1 = unname(r$parameter), p_value = r$p.value,
                           estimate = unname(r$estimate[1] - r$estimate[2]), ci_low = r$conf.int[1], ci_high = r$conf.int[2])
    out$student <- tt(st); out$welch <- tt(we)
    out$mannwhitney <- list(statistic = unname(wi$statistic), p_value = wi$p.value, method = wi$method,
                            exact = !grepl("correction", wi$method))
    out$cohens_d <- cohen_d(x1, x2, level); out$rank_biserial <- rank_biserial(x1, x2, level)
  }
  av <- summary(aov(y ~ g))[[1]]; ow <- oneway.test(y ~ g); kw <- kruskal.test(y ~ g)
  out$anova <- list(statistic = av[["F value"]][1], df1 = av$Df[1], df2 = av$Df[2], p_value = av[["Pr(>F)"]][1])
  out$welch_anova <- list(statistic = unname(ow$statistic), df1 = unname(ow$parameter[1]), df2 = unname(ow$parameter[2]), p_value = ow$p.value)
  out$kruskal <- list(statistic = unname(kw$statistic), df1 = unname(kw$parameter), p_value = kw$p.value,
                      epsilon_squared = unname(kw$statistic) / ((length(y)^2 - 1) / (length(y) + 1)))
  out$eta_omega <- eta_omega(y, g, level)
  out
}
