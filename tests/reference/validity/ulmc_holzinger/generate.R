# Reference for the ULMC model of surveykit.common_method_bias (issue #12) on Holzinger &
# Swineford (tests/reference/groups/holzinger/input.csv, x1-x9, n = 301, no missing values).
# The same lavaan calls as common_method_bias's docstring:
#   measurement model: visual, textual, speed (three items each), lavaan::cfa;
#   single-factor model: harman =~ x1 + ... + x9;
#   ULMC: the measurement model + method =~ NA*x1 + x2 + ... + x9, method ~~ 1*method,
#     method ~~ 0*visual / textual / speed;
#   fitMeasures chisq, df, pvalue, cfi, rmsea; lavTestLRT(measurement, single) and
#   lavTestLRT(ulmc, measurement); method variance = mean squared std.all method loading.
# lavaan's ULMC solution is improper: the latent variance of visual is negative (-1.38) and it
# warns "some estimated lv variances are negative". It is reached by lavaan's third
# optimisation attempt (optim.attempts = 4 in lavaan 0.6-14): attempts 1 (default start) and
# 2 (optim.parscale = "standardized") run off along a ridge (a visual loading growing as its
# variance shrinks) and fail lavaan's gradient check; attempt 3 (start = "simple") converges in
# 76 iterations. The likelihood has other local minima (from lavaan's default start values a
# Newton method reaches chi-square 26.014, with a negative residual variance of x3), so this is
# the solution of lavaan's path, recorded as lavaan reports it (default tolerances).
# Run: Rscript generate.R
suppressMessages({library(lavaan); library(jsonlite)})
x <- read.csv("../../groups/holzinger/input.csv")[, paste0("x", 1:9)]
items <- colnames(x)
meas <- "visual =~ x1 + x2 + x3\ntextual =~ x4 + x5 + x6\nspeed =~ x7 + x8 + x9"
single <- paste("harman =~", paste(items, collapse = " + "))
ulmc <- paste(meas, paste0("method =~ NA*", paste(items, collapse = " + ")), "method ~~ 1*method",
              "method ~~ 0*visual\nmethod ~~ 0*textual\nmethod ~~ 0*speed", sep = "\n")
fm <- cfa(meas, x); fs <- cfa(single, x)
warn <- NULL
fu <- withCallingHandlers(cfa(ulmc, x, verbose = FALSE),
  warning = function(w) { warn <<- c(warn, conditionMessage(w)); invokeRestart("muffleWarning") })
fits <- function(f) as.list(fitMeasures(f, c("chisq", "df", "pvalue", "cfi", "rmsea")))
l1 <- lavTestLRT(fm, fs); l2 <- lavTestLRT(fu, fm)
ss <- standardizedSolution(fu)
ml <- ss[ss$lhs == "method" & ss$op == "=~", ]
pe <- parameterEstimates(fu)
pe <- merge(pe, ss[, c("lhs", "op", "rhs", "est.std")], by = c("lhs", "op", "rhs"), sort = FALSE)
out <- list(items = items, n = nrow(x), measurement_model = meas, ulmc_model = ulmc,
  measurement = fits(fm), single = fits(fs), ulmc = fits(fu),
  single_delta_chisq = l1$`Chisq diff`[2], single_delta_df = l1$`Df diff`[2], single_delta_p = l1$`Pr(>Chisq)`[2],
  ulmc_delta_chisq = l2$`Chisq diff`[2], ulmc_delta_df = l2$`Df diff`[2], ulmc_delta_p = l2$`Pr(>Chisq)`[2],
  method_items = ml$rhs, method_std = ml$est.std, method_variance = mean(ml$est.std^2),
  params = list(lhs = pe$lhs, op = pe$op, rhs = pe$rhs, est = pe$est, se = pe$se, z = pe$z,
                est_std = pe$est.std),
  ulmc_iterations = lavInspect(fu, "iterations"), ulmc_converged = lavInspect(fu, "converged"),
  ulmc_max_gradient = max(abs(lavInspect(fu, "optim.gradient"))), ulmc_warnings = warn,
  tolerance = list(rtol = 1e-5, reason = paste("iterative ML fits: lavaan's nlminb stops at",
    "rel.tol 1e-10 with a largest gradient of 2.2e-7 for the ULMC model (its Hessian's smallest",
    "eigenvalue is 2e-4, so the estimates sit ~3e-6 (relative) from the optimum surveykit's Newton",
    "steps reach at a gradient of 1e-12); compared at rtol 1e-5")))
writeLines(toJSON(out, auto_unbox = TRUE, digits = NA, pretty = TRUE), "expected.json")
print(sessionInfo())
