# Reference for a non-recursive (feedback-loop) path model of observed variables (issue #11):
# Holzinger & Swineford (tests/reference/groups/holzinger/input.csv), x4 and x5 influence each
# other, each with its own instrument (x1 -> x4, x2 -> x5), df = 1. lavaan 0.6-14 fits
# non-recursive models when they are identified (the unidentified 'x4 ~ x5; x5 ~ x4' has df = -1:
# lavaan fits it with the warning "Could not compute standard errors! ... not identified").
# lavaan's default fit (nlminb, rel.tol 1e-10; its largest gradient is written as max_gradient).
# Run: Rscript generate.R
suppressMessages({library(lavaan); library(jsonlite)})
x <- read.csv("../../groups/holzinger/input.csv")[, c("x1", "x2", "x4", "x5")]
model <- "x4 ~ x5 + x1\nx5 ~ x4 + x2"
fit <- sem(model, x)
pe <- parameterEstimates(fit)
ss <- standardizedSolution(fit)
fm <- fitMeasures(fit, c("npar", "chisq", "df", "pvalue", "cfi", "tli", "rmsea", "rmsea.ci.lower",
                         "rmsea.ci.upper", "srmr", "aic", "bic"))
out <- list(model = model, n = nrow(x),
  ml = list(fit = as.list(fm),
            params = list(lhs = pe$lhs, op = pe$op, rhs = pe$rhs, label = if (is.null(pe$label)) rep("", nrow(pe)) else pe$label, est = pe$est,
                          se = pe$se, z = pe$z, pvalue = pe$pvalue, ci_lower = pe$ci.lower,
                          ci_upper = pe$ci.upper, std_all = ss$est.std, std_se = ss$se),
            converged = lavInspect(fit, "converged")),
  max_gradient = max(abs(lavInspect(fit, "optim.gradient"))),
  tolerance = list(rtol = 1e-6, p_value_rtol = 5e-5, reason = paste(
    "All cells at 1e-6 (lavaan's default nlminb fit of this small model is at a gradient of",
    "~1e-9). Parameter p values at",
    "5e-5: a p value amplifies the relative error of z by ~z^2.")))
writeLines(toJSON(out, auto_unbox = TRUE, digits = NA, pretty = TRUE, na = "null"), "expected.json")
print(sessionInfo())
