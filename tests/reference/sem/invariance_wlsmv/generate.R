# Reference values for surveykit.invariance(..., estimator = "WLSMV" / "DWLS", ordered = items):
# lavaan 0.6-14 (parameterization = "delta"). Two groups (a: 320, b: 280 rows), two factors
# x 4 items, latent normal responses cut into 4 categories (codes 0..3); in group b one
# threshold of y2 and the loading of y7 differ. Written to input.csv.
# Levels: configural (none), metric ("loadings"), scalar (c("loadings", "thresholds"):
# scaling factors ~*~ and latent means free in group b), and the threshold-first chain of
# Wu & Estabrook (2016): configural -> thresholds ("thresholds") -> scalar.
# Differences: lavTestLRT, whose default for WLSMV is method = "satorra.2000"
# (scaled.shifted = TRUE).
# Run from this folder: Rscript generate.R   (R 4.2.2, lavaan 0.6-14)
suppressMessages({library(lavaan); library(jsonlite)})
set.seed(20261206)
sim <- function(n, mu, lam, shift) {
  f <- matrix(rnorm(n * 2), n) %*% chol(matrix(c(1, 0.45, 0.45, 1), 2))
  f <- sweep(f, 2, mu, "+")
  ys <- sapply(1:8, function(j) lam[j] * f[, (j - 1) %/% 4 + 1] + sqrt(1 - lam[j]^2) * rnorm(n))
  cuts <- list(c(-1, 0, 1), c(-0.8, 0.2, 1.1), c(-1.3, -0.3, 0.6), c(-0.6, 0.4, 1.4))
  sapply(1:8, function(j) findInterval(ys[, j], cuts[[(j - 1) %% 4 + 1]] + shift[j]))
}
lam <- c(0.75, 0.7, 0.65, 0.6, 0.8, 0.7, 0.6, 0.7)
y1 <- sim(320, c(0, 0), lam, rep(0, 8))
y2 <- sim(280, c(0.25, -0.2), lam * c(1, 1, 1, 1, 1, 1, 0.75, 1), c(0, 0.3, rep(0, 6)))
d <- as.data.frame(rbind(y1, y2))
colnames(d) <- paste0("y", 1:8)
d$g <- rep(c("a", "b"), c(320, 280))
write.csv(d, "input.csv", row.names = FALSE)

model <- "f1 =~ y1 + y2 + y3 + y4\nf2 =~ y5 + y6 + y7 + y8"
items <- paste0("y", 1:8)
eq <- list(configural = "", metric = "loadings", thresholds = "thresholds",
           scalar = c("loadings", "thresholds"))
fm_names <- c("chisq", "df", "pvalue", "chisq.scaled", "pvalue.scaled", "chisq.scaling.factor",
              "chisq.shift.parameter", "cfi", "tli", "rmsea", "srmr", "cfi.scaled",
              "rmsea.scaled", "cfi.robust", "tli.robust", "rmsea.robust")
lrt_list <- function(lrt) list(chisq = lrt$Chisq, df = lrt$Df, chisq_diff = lrt$`Chisq diff`,
                               df_diff = lrt$`Df diff`, p = lrt$`Pr(>Chisq)`,
                               method = attr(lrt, "heading"))
run <- function(est) {
  fits <- lapply(eq, function(e) cfa(model, data = d, group = "g", group.equal = e,
                                     ordered = items, estimator = est))
  list(fits = lapply(fits, function(f) as.list(fitMeasures(f, fm_names))),
       lrt = lrt_list(lavTestLRT(fits$configural, fits$metric, fits$scalar)),
       lrt_thresholds = lrt_list(lavTestLRT(fits$configural, fits$thresholds, fits$scalar)))
}
out <- list(
  tolerance = list(rtol = 1e-6, rtol_iterative = 1e-5,
                   reason = paste("polychoric correlations (nlminb) and the DWLS fits (nlminb)",
                                  "are iterative; lavaan stops at its default tolerances")),
  calls = list(fit = 'cfa(model, data = d, group = "g", group.equal = e, ordered = items, estimator = est)',
               lrt = "lavTestLRT(configural, metric, scalar)  # method = satorra.2000 (scaled.shifted)",
               lrt_thresholds = "lavTestLRT(configural, thresholds, scalar)"),
  model = model, group = "g", items = items,
  wlsmv = run("WLSMV"), dwls = run("DWLS"))
writeLines(toJSON(out, digits = NA, auto_unbox = TRUE, pretty = TRUE, na = "null"),
           "expected.json")
writeLines(capture.output(sessionInfo()), "sessionInfo.txt")
print(out$wlsmv$lrt); print(out$dwls$lrt)
