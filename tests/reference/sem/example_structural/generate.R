# Reference values for the example study's structural model (analyses/regional_synergy.py,
# section "structural model"): lavaan 0.6-14, estimator = "MLR", missing = "ml" (FIML).
# input.csv is the data the study fits (SIMULATED example data: the cleaned answers of both
# waves, reverse-keyed items recoded low + high - x, the items of the CFA and PR01), written
# by the study's own call; model.lav its model: items -> 14 subscale factors -> the four
# constructs as second-order factors, reward_punishment -> trust (a) -> synergy (b), the
# direct paths of the three predictors, ind := a*b and total := c + a*b.
# Run from this folder: Rscript generate.R   (R 4.2, lavaan 0.6-14; ~20 min on one core:
# polish() differentiates the FIML gradient of ~130 parameters numerically)
suppressMessages({library(lavaan); library(jsonlite)})
d <- read.csv("input.csv")
model <- paste(readLines("model.lav"), collapse = "\n")
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
fit <- tight(model, data = d, estimator = "MLR", missing = "ml", em.h1.tol = 1e-13)
out <- list(model = model, n = nrow(d),
            tolerance = list(rtol = 1e-6, p_value_rtol = 5e-5, reason = paste(
              "All cells at 1e-6 (lavaan's fit polished by Newton steps to a gradient",
              "below 1e-12, see polish()). Parameter p values at 5e-5: a p value amplifies",
              "the relative error of z by ~z^2.")),
            mlr_fiml = dump_fit(fit),
            r2 = as.list(lavInspect(fit, "r2")))
writeLines(toJSON(out, auto_unbox = TRUE, digits = NA, pretty = TRUE, na = "null"),
           "expected.json")
print(sessionInfo())
