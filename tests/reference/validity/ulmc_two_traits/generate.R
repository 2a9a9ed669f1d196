# Reference for a nearly empty ULMC model (issue #11/#12): two traits of three items and a weak
# method factor, simulated in Python (tests/analysis/validity/test_common_method.py used the
# same numpy generator, default_rng(2); written to input.csv with 17 significant digits).
# lavaan 0.6-14 fits the ULMC model in its first attempt (148 iterations) to an improper
# solution: the residual variance of A1 is negative (-1.29), "some estimated ov variances are
# negative". surveykit reaches it in its second attempt (Newton steps from its default start).
# Same lavaan calls as surveykit.common_method_bias's docstring. Run: Rscript generate.R
suppressMessages({library(lavaan); library(jsonlite)})
x <- read.csv("input.csv")
items <- colnames(x)
meas <- "A =~ A1 + A2 + A3\nB =~ B1 + B2 + B3"
single <- paste("harman =~", paste(items, collapse = " + "))
ulmc <- paste(meas, paste0("method =~ NA*", paste(items, collapse = " + ")), "method ~~ 1*method",
              "method ~~ 0*A\nmethod ~~ 0*B", sep = "\n")
fm <- cfa(meas, x); fs <- cfa(single, x)
warn <- NULL
fu <- withCallingHandlers(cfa(ulmc, x),
  warning = function(w) { warn <<- c(warn, conditionMessage(w)); invokeRestart("muffleWarning") })
fits <- function(f) as.list(fitMeasures(f, c("chisq", "df", "pvalue", "cfi", "rmsea")))
l2 <- lavTestLRT(fu, fm)
ss <- standardizedSolution(fu)
ml <- ss[ss$lhs == "method" & ss$op == "=~", ]
pe <- parameterEstimates(fu)
out <- list(items = items, n = nrow(x), measurement_model = meas, ulmc_model = ulmc,
  measurement = fits(fm), ulmc = fits(fu),
  ulmc_delta_chisq = l2$`Chisq diff`[2], ulmc_delta_df = l2$`Df diff`[2], ulmc_delta_p = l2$`Pr(>Chisq)`[2],
  method_variance = mean(ml$est.std^2),
  params = list(lhs = pe$lhs, op = pe$op, rhs = pe$rhs, est = pe$est, se = pe$se),
  ulmc_iterations = lavInspect(fu, "iterations"), ulmc_max_gradient = max(abs(lavInspect(fu, "optim.gradient"))),
  ulmc_warnings = warn,
  tolerance = list(rtol = 1e-5, reason = paste("iterative ML fit of a weakly identified model:",
    "lavaan's nlminb stops (rel.tol 1e-10) with a largest gradient of", signif(max(abs(lavInspect(fu, "optim.gradient"))), 2),
    "(estimates within ~5e-7, relative, of the optimum surveykit's Newton steps reach at a",
    "gradient of 1e-12); compared at rtol 1e-5")))
writeLines(toJSON(out, auto_unbox = TRUE, digits = NA, pretty = TRUE), "expected.json")
print(sessionInfo())
