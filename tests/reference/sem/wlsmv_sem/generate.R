# Reference values for surveykit.sem(..., ordered = items, estimator = "WLSMV" / "DWLS"):
# lavaan 0.6-14. A structural model on ordinal items: three factors x 3 items, f1 -> f2 -> f3
# and f1 -> f3 (labels a, b, c), the indirect effect a*b and the total effect c + a*b as
# ':=' parameters. Latent normal responses are cut into 5 categories (codes 1..5) at
# item-specific thresholds; y3 also loads on f2 in the data (the model omits it), so the
# model does not fit exactly. Written to input.csv.
# Run from this folder: Rscript generate.R   (R 4.2.2, lavaan 0.6-14)
suppressMessages({library(lavaan); library(jsonlite)})
set.seed(20261203)
n <- 500
f1 <- rnorm(n)
f2 <- 0.5 * f1 + sqrt(1 - 0.25) * rnorm(n)
f3 <- 0.4 * f2 + 0.2 * f1 + sqrt(1 - 0.4^2 - 0.2^2 - 2 * 0.4 * 0.2 * 0.5) * rnorm(n)
F <- cbind(f1, f2, f3)
lam <- c(0.8, 0.7, 0.6, 0.75, 0.7, 0.65, 0.8, 0.6, 0.7)
ystar <- sapply(1:9, function(j) lam[j] * F[, (j - 1) %/% 3 + 1])
ystar[, 3] <- ystar[, 3] + 0.25 * f2
ystar <- ystar + sapply(1:9, function(j) sqrt(1 - lam[j]^2) * rnorm(n))
cuts <- list(c(-1.5, -0.6, 0.3, 1.2), c(-1.1, -0.3, 0.6, 1.5), c(-1.8, -0.9, 0.0, 0.9))
y <- sapply(1:9, function(j) findInterval(ystar[, j], cuts[[(j - 1) %% 3 + 1]]) + 1L)
colnames(y) <- paste0("y", 1:9)
d <- as.data.frame(y)
write.csv(d, "input.csv", row.names = FALSE)

model <- paste("f1 =~ y1 + y2 + y3", "f2 =~ y4 + y5 + y6", "f3 =~ y7 + y8 + y9",
               "f2 ~ a*f1", "f3 ~ b*f2 + c*f1", "ind := a*b", "total := c + a*b", sep = "\n")
items <- paste0("y", 1:9)
fm_names <- c("npar", "chisq", "df", "pvalue", "chisq.scaled", "df.scaled", "pvalue.scaled",
              "chisq.scaling.factor", "baseline.chisq", "baseline.df",
              "baseline.chisq.scaled", "baseline.df.scaled", "baseline.chisq.scaling.factor",
              "cfi", "tli", "cfi.scaled", "tli.scaled", "cfi.robust", "tli.robust",
              "rmsea", "rmsea.ci.lower", "rmsea.ci.upper", "rmsea.scaled",
              "rmsea.ci.lower.scaled", "rmsea.ci.upper.scaled", "rmsea.robust",
              "rmsea.ci.lower.robust", "rmsea.ci.upper.robust", "srmr", "ntotal")
dump_fit <- function(fit) {
  pe <- parameterEstimates(fit)
  sts <- standardizedSolution(fit)
  list(fit = as.list(fitMeasures(fit, fm_names)),
       params = list(lhs = pe$lhs, op = pe$op, rhs = pe$rhs, label = pe$label, est = pe$est,
                     se = pe$se, z = pe$z, pvalue = pe$pvalue, ci.lower = pe$ci.lower,
                     ci.upper = pe$ci.upper),
       std = list(lhs = sts$lhs, op = sts$op, rhs = sts$rhs, est.std = sts$est.std, se = sts$se),
       test = lapply(lavInspect(fit, "test"), function(t) t[setdiff(names(t), c("refdistr", "label", "scaled.test"))]),
       options = fit@Options[c("estimator", "se", "test", "parameterization", "std.lv")])
}
fit_wlsmv <- sem(model, data = d, ordered = items, estimator = "WLSMV")
fit_dwls <- sem(model, data = d, ordered = items, estimator = "DWLS")
out <- list(
  tolerance = list(rtol = 1e-6, rtol_iterative = 1e-5,
                   reason = paste("polychoric correlations (nlminb) and the DWLS fit (nlminb)",
                                  "are iterative; lavaan stops at its default tolerances")),
  calls = list(wlsmv = 'sem(model, data = d, ordered = items, estimator = "WLSMV")',
               dwls = 'sem(model, data = d, ordered = items, estimator = "DWLS")'),
  model = model, items = items, n = n,
  wlsmv = dump_fit(fit_wlsmv), dwls = dump_fit(fit_dwls))
writeLines(toJSON(out, digits = NA, auto_unbox = TRUE, pretty = TRUE), "expected.json")
writeLines(capture.output(sessionInfo()), "sessionInfo.txt")
print(sessionInfo())
