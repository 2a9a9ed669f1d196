# Reference values for surveykit.sem(..., group=, equal=, partial=): lavaan 0.6-14 on
# simulated data (two regions, 3 factors x 3 items, an observed covariate z; the structural
# paths differ a little between the regions). Written to input.csv.
# Run from this folder: Rscript generate.R   (R 4.2, lavaan 0.6-14)
suppressMessages({library(lavaan); library(jsonlite)})
set.seed(20261204)
n <- c(260, 220)
region <- rep(c("east", "west"), times = n)
N <- sum(n)
w <- region == "west"
z <- round(rnorm(N, 0, 1) + 0.3 * w, 3)
f1 <- rnorm(N) + 0.2 * z
f2 <- ifelse(w, 0.6, 0.4) * f1 + rnorm(N, 0, 0.8) + 0.2 * w
f3 <- 0.3 * f1 + ifelse(w, 0.2, 0.5) * f2 + 0.25 * z + rnorm(N, 0, 0.7)
item <- function(f, l, e = 0.7) round(3 + l * f + rnorm(N, 0, e), 3)
d <- data.frame(a1 = item(f1, 1), a2 = item(f1, 0.8), a3 = item(f1, 0.9),
                b1 = item(f2, 1), b2 = item(f2, 0.7), b3 = item(f2, 0.85),
                c1 = item(f3, 1), c2 = item(f3, 0.9), c3 = item(f3, 0.75),
                z = z, region = region)
d$a3[w] <- d$a3[w] + 0.4          # a non-invariant intercept (partial scalar invariance)
write.csv(d, "input.csv", row.names = FALSE)
model <- "
  f1 =~ a1 + a2 + a3
  f2 =~ b1 + b2 + b3
  f3 =~ c1 + c2 + c3
  f2 ~ c(p1, p2)*f1
  f3 ~ c(q1, q2)*f2 + f1 + z
  ind_east := p1*q1
  ind_west := p2*q2
  ind_diff := p1*q1 - p2*q2
"
# the same without per-group labels, so that group.equal = "regressions" constrains the paths
model_eq <- "
  f1 =~ a1 + a2 + a3
  f2 =~ b1 + b2 + b3
  f3 =~ c1 + c2 + c3
  f2 ~ f1
  f3 ~ f2 + f1 + z
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
fm_names <- c("npar", "chisq", "df", "pvalue", "chisq.scaled", "chisq.scaling.factor",
              "baseline.chisq", "baseline.df", "cfi", "tli", "cfi.scaled", "tli.scaled",
              "cfi.robust", "tli.robust", "rmsea", "rmsea.ci.lower", "rmsea.ci.upper",
              "rmsea.scaled", "rmsea.robust", "srmr", "logl", "unrestricted.logl", "aic",
              "bic", "ntotal")
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
out <- list(model = model, model_eq = model_eq, n = N,
            tolerance = list(rtol = 1e-6, p_value_rtol = 5e-5, reason = paste(
              "All cells at 1e-6 (lavaan's fits polished by Newton steps to a gradient",
              "below 1e-12, see polish()). Parameter p values at 5e-5: a p value amplifies",
              "the relative error of z by ~z^2, and lavaan computes 2 * (1 - pnorm(|z|)).")))
out$configural <- dump_fit(tight(model, data = d, group = "region"))
out$scalar <- dump_fit(tight(model, data = d, group = "region",
                             group.equal = c("loadings", "intercepts")))
out$scalar_mlr <- dump_fit(tight(model, data = d, group = "region", estimator = "MLR",
                                 group.equal = c("loadings", "intercepts")))
out$structural <- dump_fit(tight(model_eq, data = d, group = "region",
                                 group.equal = c("loadings", "intercepts", "regressions"),
                                 group.partial = c("a3 ~ 1", "f3 ~ f2")))
out$structural_all <- dump_fit(tight(model_eq, data = d, group = "region",
                                     group.equal = c("loadings", "intercepts", "regressions",
                                                     "residuals", "lv.variances")))
writeLines(toJSON(out, auto_unbox = TRUE, digits = NA, pretty = TRUE, na = "null"),
           "expected.json")
print(sessionInfo())
