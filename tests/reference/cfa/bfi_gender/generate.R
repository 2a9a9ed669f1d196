# Reference values for surveykit.cfa / surveykit.invariance on real data WITH missing
# values and unequal groups: psych::bfi (2800 respondents of the SAPA project; 15 items of
# agreeableness, conscientiousness and neuroticism, 6-point scale; reverse-keyed items A1,
# C4, C5 load negatively) by gender (1 = male, 919; 2 = female, 1881).
# lavaan's default missing="listwise" for ML drops rows missing any model item.
# Run from this folder: Rscript generate.R   (R 4.2.2, psych 2.2.9, lavaan 0.6-14, semTools 0.5-6)
suppressMessages({library(psych); library(lavaan); library(semTools); library(jsonlite)})
source("../dump_fit.R")
source("../score_table.R")
# lavaan's default optimiser (nlminb, rel.tol = 1e-10) stops ~1e-5 (relative) short of the
# ML optimum on some of these models; tighter nlminb tolerances end in "false convergence".
# The reference values therefore come from the SAME model and estimator with lavaan's BFGS
# optimiser run to reltol = 1e-16 (its chi-square equals surveykit's to ~1e-14).  The values
# lavaan reports with its default optimiser are stored under "default_optimizer" and are
# compared at the looser tolerance written there.
fit_cfa <- function(model, ...) {
  lavaan::cfa(model, ..., optim.method = "BFGS",
              control = list(reltol = 1e-16, abstol = -Inf, maxit = 10000),
              em.h1.tol = 1e-13, em.h1.iter.max = 100000)   # EM (h1) for missing = "ml"
}
default_part <- function(fit) {
  pe <- parameterEstimates(fit, remove.eq = TRUE)
  if (is.null(pe$group)) pe$group <- 1L
  pe <- pe[pe$op %in% c("=~", "~~", "~1"), ]
  list(fit = as.list(fitMeasures(fit, c("chisq", "df", "cfi", "tli", "rmsea", "srmr"))),
       params = list(lhs = pe$lhs, op = pe$op, rhs = pe$rhs, group = pe$group, est = pe$est,
                     se = pe$se))
}
data(bfi, package = "psych")
items <- c(paste0("A", 1:5), paste0("C", 1:5), paste0("N", 1:5))
write.csv(bfi[, c(items, "gender")], "input.csv", row.names = FALSE, na = "")
d <- read.csv("input.csv")
# single group: a residual covariance, a fixed non-marker loading, an equality label
model_single <- "
agree =~ A1 + A2 + A3 + A4 + A5
consc =~ C1 + c2*C2 + c2*C3 + C4 + C5   # C2 and C3 loadings equal
neuro =~ N1 + N2 + N3 + 0.8*N4 + N5     ! N4 loading fixed at 0.8
C4 ~~ C5
N1 ~~ N2"
model_groups <- "
agree =~ A1 + A2 + A3 + A4 + A5
consc =~ C1 + C2 + C3 + C4 + C5
neuro =~ N1 + N2 + N3 + N4 + N5
C4 ~~ C5"
out <- list(source = "psych::bfi (input.csv)", model_single = model_single,
            model_groups = model_groups, items = items)
out$single <- dump_fit(fit_cfa(model_single, data = d), d[, items], model_single)
eqs <- list(configural = "", metric = "loadings",
            scalar = c("loadings", "intercepts"),
            strict = c("loadings", "intercepts", "residuals"),
            full = c("loadings", "intercepts", "residuals", "residual.covariances",
                     "lv.variances", "lv.covariances", "means"))
fits <- lapply(eqs, function(e) fit_cfa(model_groups, data = d, group = "gender", group.equal = e))
out$invariance_gender <- lapply(fits, dump_fit, construct = FALSE)
lrt <- lavTestLRT(fits$configural, fits$metric, fits$scalar, fits$strict)
out$invariance_gender$score_tests <- lapply(fits[c("metric", "scalar", "strict")], score_table)
out$invariance_gender$score_tolerance <- list(rtol = 5e-6, atol = 1e-6, reason = paste(
  "A score statistic is N times a squared gradient evaluated at lavaan's estimates, which sit",
  "~1e-7 (relative) from the optimum; near-zero statistics (< 0.05) therefore differ by up to",
  "2e-7 in absolute terms (1e-5 relative). Larger statistics agree at 5e-6."))
out$invariance_gender$lrt <- list(chisq_diff = lrt[["Chisq diff"]], df_diff = lrt[["Df diff"]],
                          p = lrt[["Pr(>Chisq)"]])
out$invariance_gender$equal <- eqs
out$configural_construct <- dump_fit(fit_cfa(model_groups, data = d, group = "gender"))
# full-information ML (missing = "ml"): observed information, EM h1 moments
out$fiml_single <- dump_fit(fit_cfa(model_groups, data = d, missing = "ml"), d[, items],
                            model_groups)
out$fiml_scalar <- dump_fit(fit_cfa(model_groups, data = d, group = "gender", missing = "ml",
                                    group.equal = c("loadings", "intercepts")), construct = FALSE)
out$fiml_scalar$tolerance <- list(rtol = 2e-6, reason = paste(
  "lavaan's BFGS stops 2e-10 above the minimum chi-square (surveykit's is lower); on this flat",
  "surface the two group-2 latent means differ by 1.2e-6 (relative); all other cells 1e-6"))
out$fiml_default <- list(
  rtol = 5e-5,
  reason = paste("lavaan defaults: nlminb (rel.tol 1e-10) and EM for the h1 moments stopped",
                 "at a change of 1e-5; estimates, SEs and SRMR within ~2e-5 (relative)"),
  fit = default_part(cfa(model_groups, data = d, missing = "ml")))
out$default_optimizer <- list(
  rtol = 5e-5,
  reason = paste("lavaan's default nlminb stops at rel.tol = 1e-10, up to ~2e-5 (relative)",
                 "from the optimum in parameter estimates, SEs and hence SRMR; chi-square,",
                 "df, CFI, TLI and RMSEA agree at 1e-6"),
  single = default_part(cfa(model_single, data = d)),
  scalar = default_part(cfa(model_groups, data = d, group = "gender",
                            group.equal = c("loadings", "intercepts"))))
writeLines(toJSON(out, auto_unbox = TRUE, digits = NA, pretty = TRUE, na = "null"), "expected.json")
print(sessionInfo())
