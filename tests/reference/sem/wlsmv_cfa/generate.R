# Reference values for surveykit.cfa(..., ordered = items, estimator = "WLSMV" / "DWLS"):
# lavaan 0.6-14. Two correlated factors x 4 items; a latent normal response is cut into
# 5 categories (codes 1..5) at item-specific thresholds; y4 also loads on f2 in the data
# (the model omits it), so the model does not fit exactly. Written to input.csv.
# Run from this folder: Rscript generate.R   (R 4.2.2, lavaan 0.6-14)
suppressMessages({library(lavaan); library(jsonlite)})
set.seed(20261204)
n <- 420
f1 <- rnorm(n)
f2 <- 0.45 * f1 + sqrt(1 - 0.45^2) * rnorm(n)
lam <- c(0.8, 0.7, 0.65, 0.6, 0.75, 0.7, 0.6, 0.55)
ystar <- sapply(1:8, function(j) lam[j] * (if (j <= 4) f1 else f2))
ystar[, 4] <- ystar[, 4] + 0.3 * f2
ystar <- ystar + sapply(1:8, function(j) sqrt(1 - lam[j]^2) * rnorm(n))
cuts <- list(c(-1.6, -0.7, 0.2, 1.1), c(-1.2, -0.4, 0.5, 1.4), c(-0.9, -0.1, 0.7, 1.7),
             c(-1.8, -1.0, -0.2, 0.8))
y <- sapply(1:8, function(j) findInterval(ystar[, j], cuts[[(j - 1) %% 4 + 1]]) + 1L)
colnames(y) <- paste0("y", 1:8)
d <- as.data.frame(y)
write.csv(d, "input.csv", row.names = FALSE)

model <- "f1 =~ y1 + y2 + y3 + y4\nf2 =~ y5 + y6 + y7 + y8"
items <- paste0("y", 1:8)
fm_names <- c("npar", "chisq", "df", "pvalue", "chisq.scaled", "df.scaled", "pvalue.scaled",
              "chisq.scaling.factor", "baseline.chisq", "baseline.df",
              "baseline.chisq.scaled", "baseline.df.scaled", "baseline.chisq.scaling.factor",
              "cfi", "tli", "cfi.scaled", "tli.scaled", "cfi.robust", "tli.robust",
              "rmsea", "rmsea.ci.lower", "rmsea.ci.upper", "rmsea.scaled",
              "rmsea.ci.lower.scaled", "rmsea.ci.upper.scaled", "rmsea.robust",
              "rmsea.ci.lower.robust", "rmsea.ci.upper.robust", "srmr", "ntotal")
dump_fit <- function(fit) {
  pe <- parameterEstimates(fit)
  ss <- lavInspect(fit, "sampstat")
  sts <- standardizedSolution(fit)
  list(fit = as.list(fitMeasures(fit, fm_names)),
       params = list(lhs = pe$lhs, op = pe$op, rhs = pe$rhs, est = pe$est, se = pe$se,
                     z = pe$z, pvalue = pe$pvalue),
       std = list(lhs = sts$lhs, op = sts$op, rhs = sts$rhs, est.std = sts$est.std, se = sts$se),
       th = unname(as.numeric(ss$th)), th_names = names(ss$th),
       cov = unname(as.matrix(ss$cov)),
       gamma = unname(as.matrix(lavInspect(fit, "gamma"))),
       wls_v = unname(diag(as.matrix(lavInspect(fit, "wls.v")))),
       test = lapply(lavInspect(fit, "test"), function(t) t[setdiff(names(t), c("refdistr", "label", "scaled.test"))]),
       options = fit@Options[c("estimator", "se", "test", "parameterization", "std.lv")])
}
fit_wlsmv <- cfa(model, data = d, ordered = items, estimator = "WLSMV")
fit_dwls <- cfa(model, data = d, ordered = items, estimator = "DWLS")
out <- list(
  tolerance = list(rtol = 1e-6, rtol_iterative = 1e-5,
                   reason = paste("polychoric correlations (nlminb) and the DWLS fit (nlminb)",
                                  "are iterative; lavaan stops at its default tolerances")),
  calls = list(wlsmv = 'cfa(model, data = d, ordered = items, estimator = "WLSMV")',
               dwls = 'cfa(model, data = d, ordered = items, estimator = "DWLS")'),
  model = model, items = items, n = n,
  wlsmv = dump_fit(fit_wlsmv), dwls = dump_fit(fit_dwls))
writeLines(toJSON(out, digits = NA, auto_unbox = TRUE, pretty = TRUE), "expected.json")
writeLines(capture.output(sessionInfo()), "sessionInfo.txt")
print(sessionInfo())
