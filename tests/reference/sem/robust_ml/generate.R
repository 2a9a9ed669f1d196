# Reference values for surveykit.cfa(..., estimator = "MLR" / "MLM") and
# surveykit.invariance(..., estimator = "MLR"): lavaan 0.6-14.
# The data are simulated here (non-normal: skewed, heavy-tailed factors and errors; the
# model omits a cross-loading and an error covariance, so it does not fit exactly) and
# written to input.csv (complete) and input_missing.csv (the same rows with MAR missingness).
# Run from this folder: Rscript generate.R   (R 4.2.2, lavaan 0.6-14)
suppressMessages({library(lavaan); library(jsonlite)})
set.seed(20261203)
n <- 600
grp <- rep(c("north", "south"), times = c(320, 280))
f1 <- (rchisq(n, 3) - 3) / sqrt(6)
f2 <- 0.5 * f1 + sqrt(0.75) * (rt(n, 5) / sqrt(5 / 3))
f2[grp == "south"] <- f2[grp == "south"] + 0.3
lam <- c(1, 0.8, 0.7, 0.9, 1, 0.75, 0.85, 0.6)
err <- function() (rchisq(n, 2) - 2) / 2
y <- sapply(1:8, function(j) lam[j] * (if (j <= 4) f1 else f2) + 0.6 * err())
y[, 4] <- y[, 4] + 0.45 * f2          # a cross-loading the model omits
e78 <- 0.4 * err(); y[, 7] <- y[, 7] + e78; y[, 8] <- y[, 8] + e78
y <- round(y * 2 + 3, 3)
colnames(y) <- paste0("y", 1:8)
d <- data.frame(y, grp = grp)
write.csv(d, "input.csv", row.names = FALSE)
dm <- d
# MAR: y2, y6, y8 missing more often when y1 is high
pm <- plogis(-2 + 0.8 * scale(d$y1)[, 1])
for (v in c("y2", "y6", "y8")) dm[[v]][runif(n) < pm] <- NA
dm$y3[runif(n) < 0.05] <- NA
write.csv(dm, "input_missing.csv", row.names = FALSE, na = "")

model <- "f1 =~ y1 + y2 + y3 + y4\nf2 =~ y5 + y6 + y7 + y8"
tight <- list(optim.method = "BFGS", control = list(reltol = 1e-16, abstol = -Inf, maxit = 10000))
fitc <- function(model, ..., tol = TRUE) {
  if (tol) cfa(model, ..., optim.method = "BFGS", control = list(reltol = 1e-16, abstol = -Inf, maxit = 10000)) else cfa(model, ...)
}
fm_names <- c("npar", "chisq", "df", "pvalue", "chisq.scaled", "df.scaled", "pvalue.scaled",
              "chisq.scaling.factor", "baseline.chisq", "baseline.df", "baseline.chisq.scaled",
              "baseline.chisq.scaling.factor", "cfi", "tli", "cfi.scaled", "tli.scaled",
              "cfi.robust", "tli.robust", "rmsea", "rmsea.ci.lower", "rmsea.ci.upper",
              "rmsea.scaled", "rmsea.ci.lower.scaled", "rmsea.ci.upper.scaled",
              "rmsea.robust", "rmsea.ci.lower.robust", "rmsea.ci.upper.robust", "srmr",
              "logl", "aic", "bic", "ntotal")
dump_fit <- function(fit) {
  pe <- parameterEstimates(fit, remove.eq = TRUE, remove.ineq = TRUE, remove.def = TRUE)
  if (is.null(pe$group)) pe$group <- 1L
  fm <- fitMeasures(fit, fm_names)
  list(fit = as.list(fm),
       params = list(lhs = pe$lhs, op = pe$op, rhs = pe$rhs, group = pe$group, est = pe$est,
                     se = pe$se, z = pe$z, pvalue = pe$pvalue),
       options = fit@Options[c("estimator", "se", "test", "information", "h1.information",
                                "observed.information")],
       converged = lavInspect(fit, "converged"))
}
out <- list(model = model, n = n,
            tolerance = list(rtol = 1e-6, p_value_rtol = 5e-5, reason = paste(
              "All cells at 1e-6 (fits run to reltol 1e-16 with BFGS). Parameter p values at",
              "5e-5: a p value amplifies the relative error of z by ~z^2, and lavaan computes",
              "2 * (1 - pnorm(|z|)) (absolute resolution 2.2e-16).")))
out$mlr <- dump_fit(fitc(model, data = d, estimator = "MLR"))
out$mlm <- dump_fit(fitc(model, data = d, estimator = "MLM"))
out$mlr_stdlv <- dump_fit(fitc(model, data = d, estimator = "MLR", std.lv = TRUE))
out$mlm_group <- dump_fit(fitc(model, data = d, estimator = "MLM", group = "grp"))
out$mlr_fiml <- dump_fit(fitc(model, data = dm, estimator = "MLR", missing = "ml",
                          em.h1.tol = 1e-13))
# MLR invariance: configural, metric, scalar and lavTestLRT's scaled difference tests
eqs <- list(configural = "", metric = "loadings", scalar = c("loadings", "intercepts"))
fits <- lapply(eqs, function(e) fitc(model, data = d, group = "grp", estimator = "MLR",
                                     group.equal = e))
out$invariance_mlr <- lapply(fits, dump_fit)
lrt <- lavTestLRT(fits$configural, fits$metric, fits$scalar)
out$invariance_mlr$lrt <- list(chisq_diff = lrt[["Chisq diff"]], df_diff = lrt[["Df diff"]],
                               p = lrt[["Pr(>Chisq)"]], method = attr(lrt, "heading"))
# the values lavaan prints with its default optimiser (nlminb)
out$default_optimizer <- list(
  rtol = 1e-4, reason = paste("lavaan's default nlminb stops at rel.tol = 1e-10, ~1e-6 to",
                              "1e-5 (relative) from the optimum in estimates and SEs"),
  mlr = dump_fit(fitc(model, data = d, estimator = "MLR", tol = FALSE)),
  mlm = dump_fit(fitc(model, data = d, estimator = "MLM", tol = FALSE)))
writeLines(toJSON(out, auto_unbox = TRUE, digits = NA, pretty = TRUE, na = "null"),
           "expected.json")
print(sessionInfo())
