# Shared helper for the cfa reference generators: dump everything surveykit.cfa
# reports for one fitted lavaan model into a plain list (for jsonlite).
dump_fit <- function(fit, data = NULL, model = NULL, construct = TRUE) {
  pe <- parameterEstimates(fit, remove.eq = TRUE, remove.ineq = TRUE, remove.def = TRUE)
  ss <- standardizedSolution(fit, remove.eq = TRUE, remove.ineq = TRUE, remove.def = TRUE)
  if (is.null(pe$group)) pe$group <- 1L
  if (is.null(ss$group)) ss$group <- 1L
  pe <- pe[pe$op %in% c("=~", "~~", "~1"), ]
  ss <- ss[ss$op %in% c("=~", "~~", "~1"), ]
  fm <- fitMeasures(fit, c("npar", "chisq", "df", "pvalue", "baseline.chisq", "baseline.df",
                           "cfi", "tli", "rmsea", "rmsea.ci.lower", "rmsea.ci.upper", "srmr",
                           "logl", "unrestricted.logl", "aic", "bic", "ntotal"))
  out <- list(
    fit = as.list(fm),
    params = list(lhs = pe$lhs, op = pe$op, rhs = pe$rhs, group = pe$group,
                  est = pe$est, se = pe$se, z = pe$z, pvalue = pe$pvalue),
    std = list(lhs = ss$lhs, op = ss$op, rhs = ss$rhs, group = ss$group,
               est_std = ss$est.std, se = ss$se, z = ss$z, pvalue = ss$pvalue),
    nobs = as.list(lavInspect(fit, "nobs")),
    p_value_tolerance = list(rtol = 5e-5, atol = 1e-15, reason = paste(
      "Parameter p values only (estimates, SEs and z at 1e-6). A p value amplifies the",
      "relative error of z by about z^2 (d log p / d log z = z phi(z) / (1 - Phi(z))), so",
      "z values equal at ~1e-7 give p values equal at ~1e-5 for |z| up to ~10;",
      "and lavaan computes p as 2 * (1 - pnorm(abs(z))), whose absolute resolution is",
      "2.2e-16, hence atol = 1e-15")),
    group_labels = as.list(lavInspect(fit, "group.label")))
  if (construct) {
    cr <- semTools::compRelSEM(fit)
    ave <- semTools::AVE(fit)
    out$composite_reliability <- as.list(cr)
    out$ave <- as.list(ave)
    phi <- lavInspect(fit, "cor.lv")
    out$cor_lv <- lapply(as.data.frame(phi), function(v) setNames(as.list(v), rownames(phi)))
    if (!is.null(data)) {
      h <- semTools::htmt(model, data)
      out$htmt <- lapply(as.data.frame(unclass(h)), function(v) setNames(as.list(v), rownames(h)))
    }
  }
  out
}
