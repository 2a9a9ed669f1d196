# Reference values for surveykit.sem() with indicators in regressions (MIMIC with a direct
# effect / DIF, an indicator as predictor and mediator, an indicator regressed on another
# factor): lavaan 0.6-14. The data are simulated here (n = 500, seed 20261204): a factor f
# measured by y1-y5 and caused by x1 and x2 (x2 binary), with real DIF on y3 (y3 depends on
# x2 beyond f); a factor g (w1-w4) caused by f with a cross-effect of f on w2; an outcome z
# of y3 and f; two groups (grp). Skewed and heavy-tailed errors so that MLR differs from ML.
# input.csv is complete, input_missing.csv has MAR gaps in y2, y4, w3 (by x1) and y3 (x1, x2
# complete). Blocks: mimic_* (ML, MLR, std.lv, FIML and MLR-FIML with fixed.x; the same with
# random covariates, model_mimic_rx), rescov_* (residual covariances of the DIF item), ind_*
# (an item as mediator), cross_* (an item regressed on another factor: ML, MLM, FIML),
# mg_scalar* (two groups, loadings and intercepts equal), mi_* (modindices), lisrel_mimic
# (where lavaan puts y3's loading), boot_ind (bootstrap on surveykit's resamples).
# The fits are polished by Newton steps as in ../political_democracy/generate.R.
# Run from this folder: Rscript generate.R   (R 4.2, lavaan 0.6-14)
suppressMessages({library(lavaan); library(jsonlite)})
set.seed(20261204)
n <- 500
x1 <- round(rnorm(n), 3)
x2 <- rbinom(n, 1, 0.45)
grp <- sample(c("north", "south"), n, replace = TRUE)
err <- function(s) s * (rchisq(n, 4) - 4) / sqrt(8)
f <- 0.5 * x1 + 0.4 * x2 + 0.3 * (grp == "south") + 0.8 * rt(n, 6) / sqrt(1.5)
g <- 0.6 * f + 0.7 * rnorm(n)
lam <- c(1, 0.9, 0.8, 1.1, 0.7)
y <- sapply(1:5, function(j) lam[j] * f + err(0.6))
y[, 3] <- y[, 3] + 0.5 * x2          # DIF: y3 is higher for x2 = 1 at the same f
w <- sapply(c(1, 0.8, 0.9, 0.7), function(l) l * g + 0.5 * rnorm(n))
w[, 2] <- w[, 2] + 0.4 * f           # a cross-effect of f on w2
z <- 0.4 * y[, 3] + 0.3 * f + err(0.7)
d <- data.frame(round(y + 3, 3), round(w + 3, 3), z = round(z, 3), x1 = x1, x2 = x2,
                grp = grp)
names(d)[1:9] <- c(paste0("y", 1:5), paste0("w", 1:4))
write.csv(d, "input.csv", row.names = FALSE)
dm <- d
pm <- plogis(-2 + 0.9 * d$x1)
for (v in c("y2", "y4", "w3")) dm[[v]][runif(n) < pm] <- NA
dm$y3[runif(n) < 0.05] <- NA
write.csv(dm, "input_missing.csv", row.names = FALSE, na = "")

src <- readLines("../political_democracy/generate.R")
eval(parse(text = src[grep("^polish <- function", src):(grep("^out <- list", src) - 1)]))
dump_pd <- dump_fit
dump_fit <- function(fit) {       # a model without labels: "" per row (not an empty list)
  out <- dump_pd(fit)
  if (length(out$params$label) == 0L) out$params$label <- rep("", length(out$params$lhs))
  out
}

# MIMIC with a direct effect of x2 on the indicator y3 (DIF) and its total effect on y3
model_mimic <- "
  f =~ y1 + y2 + l3*y3 + y4 + y5
  f ~ g1*x1 + g2*x2
  y3 ~ d*x2
  total_x2_y3 := g2*l3 + d
"
# the same with FIML: the covariates random (their variances and covariance in the model,
# as lavaan's fixed.x = FALSE)
model_mimic_rx <- paste0(model_mimic, "  x1 ~~ x1 + x2\n  x2 ~~ x2\n")
# an indicator as mediator: x1 -> y3 -> z, and z also depends on the factor
model_ind <- "
  f =~ y1 + y2 + y3 + y4 + y5
  y3 ~ a*x1
  z ~ b*y3 + f
  ind := a*b
"
# an indicator regressed on another factor (a cross-effect), no observed covariates
model_cross <- "
  f =~ y1 + y2 + y3 + y4 + y5
  g =~ w1 + w2 + w3 + w4
  g ~ f
  w2 ~ f
"
# residual covariances of the DIF indicator y3 with y4 and between two plain indicators
# (lavaan makes y4 a phantom latent too: lav_lisrel's dummy covariances)
model_rescov <- "
  f =~ y1 + y2 + y3 + y4 + y5
  f ~ x1 + x2
  y3 ~ x2
  y3 ~~ y4
  y1 ~~ y2
"
# multi-group MIMIC (loadings and intercepts equal across groups)
model_mg <- "
  f =~ y1 + y2 + y3 + y4 + y5
  f ~ x1 + x2
  y3 ~ x2
"
out <- list(model_mimic = model_mimic, model_ind = model_ind, model_cross = model_cross,
            model_mg = model_mg, model_rescov = model_rescov, model_mimic_rx = model_mimic_rx, n = n,
            tolerance = list(rtol = 1e-6, p_value_rtol = 5e-5, reason = paste(
              "All cells at 1e-6 (lavaan's fits polished by Newton steps to a gradient",
              "below 1e-12, see polish() in ../political_democracy/generate.R). Parameter p",
              "values at 5e-5: a p value amplifies the relative error of z by ~z^2, and",
              "lavaan computes 2 * (1 - pnorm(|z|)).")))
out$mimic_ml <- dump_fit(tight(model_mimic, data = d))
out$mimic_mlr <- dump_fit(tight(model_mimic, data = d, estimator = "MLR"))
out$mimic_stdlv <- dump_fit(tight(model_mimic, data = d, std.lv = TRUE))
out$mimic_rx_ml <- dump_fit(tight(model_mimic_rx, data = d))
out$mimic_fiml <- dump_fit(tight(model_mimic_rx, data = dm, missing = "ml", em.h1.tol = 1e-13))
out$mimic_fiml_mlr <- dump_fit(tight(model_mimic_rx, data = dm, missing = "ml",
                                     estimator = "MLR", em.h1.tol = 1e-13))
out$rescov_ml <- dump_fit(tight(model_rescov, data = d))
out$rescov_mlr <- dump_fit(tight(model_rescov, data = d, estimator = "MLR"))
# FIML with the covariates fixed.x (complete x): lavaan's default for model_mimic
out$mimic_fiml_fx <- dump_fit(tight(model_mimic, data = dm, missing = "ml", em.h1.tol = 1e-13))
out$mimic_fiml_fx_mlr <- dump_fit(tight(model_mimic, data = dm, missing = "ml",
                                        estimator = "MLR", em.h1.tol = 1e-13))
out$ind_ml <- dump_fit(tight(model_ind, data = d))
out$ind_mlr <- dump_fit(tight(model_ind, data = d, estimator = "MLR"))
out$cross_ml <- dump_fit(tight(model_cross, data = d))
out$cross_mlm <- dump_fit(tight(model_cross, data = d, estimator = "MLM"))
out$cross_fiml <- dump_fit(tight(model_cross, data = dm, missing = "ml", em.h1.tol = 1e-13))
out$mg_scalar <- dump_fit(tight(model_mg, data = d, group = "grp",
                                group.equal = c("loadings", "intercepts")))
out$mg_scalar_mlr <- dump_fit(tight(model_mg, data = d, group = "grp", estimator = "MLR",
                                    group.equal = c("loadings", "intercepts")))
# modification indices of the MIMIC model and of the cross-effect model
dump_mi <- function(fit) {
  mi <- modindices(fit)
  list(lhs = mi$lhs, op = mi$op, rhs = mi$rhs, mi = mi$mi, epc = mi$epc,
       sepc_all = mi$sepc.all)
}
out$mi_mimic <- dump_mi(tight(model_mimic, data = d))
out$mi_cross <- dump_mi(tight(model_cross, data = d))
# the LISREL matrices lavaan builds: y3 (an indicator in a regression) is a phantom latent
est <- lavInspect(sem(model_mimic, data = d), "est")
out$lisrel_mimic <- list(lambda_cols = colnames(est$lambda), beta_rows = rownames(est$beta),
                         theta_y3 = est$theta["y3", "y3"], beta_y3_f = est$beta["y3", "f"])
# bootstrap of the indirect effect through the indicator y3 (model_ind, ML): lavaan refits
# the SAME resamples surveykit draws (make_indices.py: numpy default_rng(20261204)
# .integers(0, 500, (200, 500)), 0-based rows), each fit polished by Newton steps; SEs and
# intervals as lavaan 0.6-14 computes them for se = "bootstrap" (see ../bootstrap/generate.R)
bsrc <- readLines("../bootstrap/generate.R")
eval(parse(text = bsrc[grep("^norm.inter <- function", bsrc):(grep("^level <- ", bsrc))]))
newton <- function(fit, steps = 3) {   # no equality constraints here: K = I
  x <- lav_model_get_parameters(fit@Model)
  for (i in seq_len(steps)) {
    m <- lav_model_set_parameters(fit@Model, x)
    g <- lavaan:::lav_model_gradient(m, lavsamplestats = fit@SampleStats, lavdata = fit@Data)
    H <- lavaan:::lav_model_hessian(m, lavsamplestats = fit@SampleStats, lavdata = fit@Data,
                                    lavoptions = fit@Options, lavcache = fit@Cache)
    x <- x - drop(solve(H, g))
  }
  m <- lav_model_set_parameters(fit@Model, x)
  g <- lavaan:::lav_model_gradient(m, lavsamplestats = fit@SampleStats, lavdata = fit@Data)
  stopifnot(max(abs(g)) < 1e-10)
  x
}
boot_ind <- function(data, idxfile) {
  idx <- as.matrix(read.csv(gzfile(idxfile), header = FALSE)) + 1L
  fit0 <- sem(model_ind, data = data, ceq.simple = TRUE)
  pt <- parTable(fit0)
  x0 <- newton(fit0)
  COEF <- t(sapply(seq_len(nrow(idx)), function(b) {
    f <- sem(model_ind, data = data[idx[b, ], ], ceq.simple = TRUE, start = fit0,
             se = "none", test = "none", baseline = FALSE, h1 = FALSE)
    newton(f)
  }))
  rows <- which(pt$free > 0)
  BOOT <- COEF[, pt$free[rows], drop = FALSE]
  est <- x0[pt$free[rows]]
  lab <- function(x) { v <- x[pt$free[rows]]; names(v) <- pt$label[rows]; v }
  def <- function(x) { v <- lab(x); c(ind = unname(v["a"] * v["b"])) }
  BOOT.def <- matrix(apply(COEF, 1, def), ncol = 1)
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
  list(lhs = c(pt$lhs[rows], "ind"), op = c(pt$op[rows], ":="),
       rhs = c(pt$rhs[rows], "a*b"), est = c(est, est.def),
       se = c(se, se.def), perc_low = P[, 1], perc_high = P[, 2], bca_low = B[, 1],
       bca_high = B[, 2], n_boot = R, seed = 20261204)
}
out$boot_ind <- boot_ind(d, "indices_ind.csv.gz")
writeLines(toJSON(out, auto_unbox = TRUE, digits = NA, pretty = TRUE, na = "null"),
           "expected.json")
print(sessionInfo())
