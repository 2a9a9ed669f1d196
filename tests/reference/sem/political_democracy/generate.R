# Reference values for surveykit.sem(): lavaan 0.6-14 on lavaan's PoliticalDemocracy data
# (Bollen 1989), the structural model of the lavaan tutorial with labelled paths and an
# indirect effect; ML and MLR, parameterEstimates, standardizedSolution and fitMeasures.
# Run from this folder: Rscript generate.R   (R 4.2, lavaan 0.6-14)
suppressMessages({library(lavaan); library(jsonlite)})
d <- PoliticalDemocracy
write.csv(d, "input.csv", row.names = FALSE)
model <- "
  # measurement model
    ind60 =~ x1 + x2 + x3
    dem60 =~ y1 + a*y2 + b*y3 + c*y4
    dem65 =~ y5 + a*y6 + b*y7 + c*y8
  # regressions
    dem60 ~ a1*ind60
    dem65 ~ c1*ind60 + b1*dem60
  # residual correlations
    y1 ~~ y5
    y2 ~~ y4 + y6
    y3 ~~ y7
    y4 ~~ y8
    y6 ~~ y8
  # indirect and total effect of ind60 on dem65
    ind := a1*b1
    total := c1 + a1*b1
"
# an observed covariate (fixed.x) and an observed outcome beside the latents
model_x <- "
    ind60 =~ x1 + x2 + x3
    dem60 =~ y1 + y2 + y3 + y4
    dem60 ~ a*ind60 + y5
    y6 ~ b*dem60 + y5
    ab := a*b
"
# lavaan's optimiser stops ~1e-10 short of the minimum in chi-square, i.e. ~1e-6 (relative)
# in small parameters; three Newton steps with lavaan's own gradient and Hessian finish the
# fit (max |gradient| < 1e-15), and optim.method = "none" re-computes SEs, tests and fit
# measures at the polished estimates. ceq.simple = TRUE: shared labels are a
# re-parametrisation (the same solution as lavaan's default constrained optimiser).
polish <- function(fit, steps = 3) {
  x <- lav_model_get_parameters(fit@Model)
  for (i in seq_len(steps)) {
    m <- lav_model_set_parameters(fit@Model, x)
    g <- lavaan:::lav_model_gradient(m, lavsamplestats = fit@SampleStats, lavdata = fit@Data)
    H <- lavaan:::lav_model_hessian(m, lavsamplestats = fit@SampleStats, lavdata = fit@Data,
                                    lavoptions = fit@Options, lavcache = fit@Cache)
    K <- if (m@ceq.simple.only) m@ceq.simple.K else diag(length(x))
    x <- x - solve(t(K) %*% H %*% K, t(K) %*% g)[, 1]
  }
  pt <- parTable(fit)
  pt$est[pt$free > 0] <- x[pt$free[pt$free > 0]]
  pt$start <- pt$est
  pt
}
tight <- function(model, ...) {
  fit <- sem(model, ..., ceq.simple = TRUE, optim.method = "BFGS",
             control = list(reltol = 1e-16, abstol = -Inf, maxit = 10000))
  pt <- polish(fit)
  chk <- sem(model, ..., ceq.simple = TRUE, start = pt, optim.method = "none",
             fixed.x = fit@Options$fixed.x)
  m <- chk@Model
  K <- if (m@ceq.simple.only) m@ceq.simple.K else diag(m@nx.free)
  g <- lavaan:::lav_model_gradient(m, lavsamplestats = chk@SampleStats, lavdata = chk@Data)
  stopifnot(max(abs(t(K) %*% g)) < 1e-12)
  # the reported fit: lavaan's default (constrained) parametrisation at the polished values
  # (standardizedSolution's SEs fail with ceq.simple = TRUE in 0.6-14); optim.method =
  # "none" would switch fixed.x off, so it is passed as the first fit had it
  out <- sem(model, ..., start = pt, optim.method = "none", fixed.x = fit@Options$fixed.x)
  stopifnot(abs(fitMeasures(out, "chisq") - fitMeasures(chk, "chisq")) < 1e-9,
            fitMeasures(out, "npar") == fitMeasures(fit, "npar"))
  out
}
fm_names <- c("npar", "chisq", "df", "pvalue", "chisq.scaled", "df.scaled", "pvalue.scaled",
              "chisq.scaling.factor", "baseline.chisq", "baseline.df", "cfi", "tli",
              "cfi.scaled", "tli.scaled", "cfi.robust", "tli.robust", "rmsea",
              "rmsea.ci.lower", "rmsea.ci.upper", "rmsea.scaled", "rmsea.robust", "srmr",
              "logl", "unrestricted.logl", "aic", "bic", "ntotal")
dump_fit <- function(fit) {
  pe <- parameterEstimates(fit, remove.eq = TRUE, remove.ineq = TRUE)
  ss <- standardizedSolution(fit, type = "std.all", remove.eq = TRUE, remove.ineq = TRUE)
  if (is.null(pe$group)) pe$group <- 1L
  fm <- fitMeasures(fit, intersect(fm_names, names(fitMeasures(fit))))
  list(fit = as.list(fm),
       params = list(lhs = pe$lhs, op = pe$op, rhs = pe$rhs, group = pe$group,
                     label = pe$label, est = pe$est, se = pe$se, z = pe$z,
                     pvalue = pe$pvalue, ci_lower = pe$ci.lower, ci_upper = pe$ci.upper,
                     std_all = ss$est.std, std_se = ss$se),
       converged = lavInspect(fit, "converged"))
}
out <- list(model = model, model_x = model_x, n = nrow(d),
            tolerance = list(rtol = 1e-6, p_value_rtol = 5e-5, reason = paste(
              "All cells at 1e-6 (lavaan's fits polished by Newton steps to a gradient",
              "below 1e-12, see polish()). Parameter p values at 5e-5: a",
              "p value amplifies the relative error of z by ~z^2, and lavaan computes",
              "2 * (1 - pnorm(|z|)).")))
out$ml <- dump_fit(tight(model, data = d))
out$mlr <- dump_fit(tight(model, data = d, estimator = "MLR"))
out$ml_x <- dump_fit(tight(model_x, data = d))
out$mlr_x <- dump_fit(tight(model_x, data = d, estimator = "MLR"))
out$ml_stdlv <- dump_fit(tight(model, data = d, std.lv = TRUE))
out$mlm <- dump_fit(tight(model, data = d, estimator = "MLM"))
# FIML: y2, y6 missing more often when x1 is high (MAR), y3 at random
set.seed(20261203)
dm <- d
pm <- plogis(-1.5 + 0.8 * scale(d$x1)[, 1])
for (v in c("y2", "y6")) dm[[v]][runif(nrow(d)) < pm] <- NA
dm$y3[runif(nrow(d)) < 0.08] <- NA
write.csv(dm, "input_missing.csv", row.names = FALSE, na = "")
out$ml_fiml <- dump_fit(tight(model, data = dm, missing = "ml", em.h1.tol = 1e-13))
out$mlr_fiml <- dump_fit(tight(model, data = dm, missing = "ml", estimator = "MLR",
                               em.h1.tol = 1e-13))
writeLines(toJSON(out, auto_unbox = TRUE, digits = NA, pretty = TRUE, na = "null"),
           "expected.json")
print(sessionInfo())
