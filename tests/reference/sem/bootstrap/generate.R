# Reference values for surveykit.sem(..., se = "bootstrap"): lavaan 0.6-14 refits the
# PoliticalDemocracy tutorial model (with its indirect effect) on the SAME resamples that
# surveykit draws (numpy default_rng(20261203).integers(0, 75, (n_boot, 75)), written by
# make_indices.py to indices_*.csv.gz, 0-based rows). lavaan's bootstrapLavaan cannot take
# given indices, so this loops over them with lavaan(data = d[idx, ]) and then computes SEs
# and intervals exactly as lavaan 0.6-14 does for se = "bootstrap":
#   lav_model_nvcov_bootstrap: vcov = cov(COEF) * (R - 1) / R
#   lav_model_vcov_se: defined parameters: sqrt(diag(cov(BOOT.def)))
#   parameterEstimates(boot.ci.type = "perc" / "bca.simple"): norm.inter (copied below)
# Each resample fit (lavaan's default optimiser, warm-started) is polished by two Newton steps
# with lavaan's own gradient and Hessian, so the resampled estimates are at their optimum to a
# gradient below 1e-10 (checked).
# Run from this folder: Rscript generate.R   (R 4.2, lavaan 0.6-14)
suppressMessages({library(lavaan); library(jsonlite)})
d <- read.csv("../political_democracy/input.csv")
dm <- read.csv("../political_democracy/input_missing.csv")
model <- "
    ind60 =~ x1 + x2 + x3
    dem60 =~ y1 + a*y2 + b*y3 + c*y4
    dem65 =~ y5 + a*y6 + b*y7 + c*y8
    dem60 ~ a1*ind60
    dem65 ~ c1*ind60 + b1*dem60
    y1 ~~ y5
    y2 ~~ y4 + y6
    y3 ~~ y7
    y4 ~~ y8
    y6 ~~ y8
    ind := a1*b1
    total := c1 + a1*b1
"
newton <- function(fit, steps = 2) {
  x <- lav_model_get_parameters(fit@Model)
  K <- fit@Model@ceq.simple.K
  for (i in seq_len(steps)) {
    m <- lav_model_set_parameters(fit@Model, x)
    g <- lavaan:::lav_model_gradient(m, lavsamplestats = fit@SampleStats, lavdata = fit@Data)
    H <- lavaan:::lav_model_hessian(m, lavsamplestats = fit@SampleStats, lavdata = fit@Data,
                                    lavoptions = fit@Options, lavcache = fit@Cache)
    x <- x - solve(t(K) %*% H %*% K, t(K) %*% g)[, 1]
  }
  m <- lav_model_set_parameters(fit@Model, x)
  g <- lavaan:::lav_model_gradient(m, lavsamplestats = fit@SampleStats, lavdata = fit@Data)
  stopifnot(max(abs(t(K) %*% g)) < 1e-10)
  x
}
# lavaan's parameterEstimates: norm.inter (from the boot package), verbatim
norm.inter <- function(t, alpha) {
  t <- t[is.finite(t)]
  R <- length(t)
  rk <- (R + 1) * alpha
  if (!all(rk > 1 & rk < R)) warning("extreme order statistics used as endpoints")
  k <- trunc(rk)
  inds <- seq_along(k)
  out <- inds
  kvs <- k[k > 0 & k < R]
  tstar <- sort(t, partial = sort(union(c(1, R), c(kvs, kvs + 1))))
  ints <- (k == rk)
  if (any(ints)) out[inds[ints]] <- tstar[k[inds[ints]]]
  out[k == 0] <- tstar[1L]
  out[k == R] <- tstar[R]
  not <- function(v) xor(rep(TRUE, length(v)), v)
  temp <- inds[not(ints) & k != 0 & k != R]
  temp1 <- qnorm(alpha[temp])
  temp2 <- qnorm(k[temp] / (R + 1))
  temp3 <- qnorm((k[temp] + 1) / (R + 1))
  tk <- tstar[k[temp]]
  tk1 <- tstar[k[temp] + 1L]
  out[temp] <- tk + (temp1 - temp2) / (temp3 - temp2) * (tk1 - tk)
  cbind(round(rk, 2), out)
}
level <- 0.95
run <- function(data, idxfile, ...) {
  idx <- as.matrix(read.csv(gzfile(idxfile), header = FALSE)) + 1L
  fit0 <- sem(model, data = data, ceq.simple = TRUE, ...)
  pt <- parTable(fit0)
  # the full-sample estimates, polished, as the warm start and t0
  x0 <- newton(fit0)
  COEF <- t(sapply(seq_len(nrow(idx)), function(b) {
    if (b %% 50 == 0) message(idxfile, ": ", b)
    f <- sem(model, data = data[idx[b, ], ], ceq.simple = TRUE, start = fit0, se = "none",
             test = "none", baseline = FALSE, h1 = FALSE, ...)
    newton(f)
  }))
  # one column per free row of the parameter table (shared labels repeat their column)
  rows <- which(pt$free > 0)
  BOOT <- COEF[, pt$free[rows], drop = FALSE]
  est <- x0[pt$free[rows]]
  lab <- function(x) { v <- x[pt$free[rows]]; names(v) <- pt$label[rows]; v }
  def <- function(x) { v <- lab(x); c(ind = unname(v["a1"] * v["b1"]),
                                      total = unname(v["c1"] + v["a1"] * v["b1"])) }
  BOOT.def <- t(apply(COEF, 1, def))
  est.def <- def(x0)
  R <- nrow(COEF)
  se <- sqrt(diag(cov(BOOT) * (R - 1) / R))
  se.def <- sqrt(diag(cov(BOOT.def)))
  a <- (1 + c(-level, level)) / 2
  perc <- function(T) t(apply(T, 2, function(t) norm.inter(t, a)[, 2]))
  bca <- function(T, t0) t(sapply(seq_len(ncol(T)), function(j) {
    t <- T[, j]; t <- t[is.finite(t)]
    if (var(t) == 0) return(c(t0[j], t0[j]))
    w <- qnorm(sum(t < t0[j]) / length(t))
    norm.inter(t, pnorm(w + (w + qnorm(a)) / (1 - 0 * (w + qnorm(a)))))[, 2]
  }))
  P <- rbind(perc(BOOT), perc(BOOT.def))
  B <- rbind(bca(BOOT, est), bca(BOOT.def, est.def))
  list(lhs = c(pt$lhs[rows], "ind", "total"), op = c(pt$op[rows], ":=", ":="),
       rhs = c(pt$rhs[rows], "a1*b1", "c1+a1*b1"), est = c(est, est.def),
       se = c(se, se.def), perc_low = P[, 1], perc_high = P[, 2], bca_low = B[, 1],
       bca_high = B[, 2], n_boot = R, first = COEF[1:3, ])
}
out <- list(model = model, seed = 20261203,
            tolerance = list(rtol = 1e-6, reason = paste(
              "All cells at 1e-6: the same resamples, every resample fit polished by Newton",
              "steps to a gradient below 1e-10.")))
out$ml <- run(d, "indices_ml.csv.gz")
out$fiml <- run(dm, "indices_fiml.csv.gz", missing = "ml")
writeLines(toJSON(out, auto_unbox = TRUE, digits = NA, pretty = TRUE, na = "null"),
           "expected.json")
print(sessionInfo())
