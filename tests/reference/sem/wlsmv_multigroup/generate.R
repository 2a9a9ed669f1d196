# Reference values for surveykit.cfa / surveykit.sem(..., group = "g", ordered = items,
# estimator = "WLSMV" / "DWLS", equal = ...): lavaan 0.6-14, parameterization = "delta".
# Two groups (a: 300, b: 250 rows), six items on two factors, latent normal responses cut
# into 5 categories (codes 1..5); in group b the factor means are shifted and y3 loads less,
# so equal loadings and thresholds do not hold exactly. Written to input.csv.
# Fits: CFA configural (WLSMV), CFA with group.equal = c("loadings", "thresholds")
# (scaling factors ~*~ and latent means free in group b), the same with DWLS, with
# group.partial = "y3|t1" and with std.lv = TRUE (factor variances free in group b), and a
# structural model f2 ~ f1 with equal loadings (WLSMV).
# Run from this folder: Rscript generate.R   (R 4.2.2, lavaan 0.6-14)
suppressMessages({library(lavaan); library(jsonlite)})
set.seed(20261204)
sim <- function(n, mu, lam, cuts) {
  f1 <- rnorm(n, mu[1])
  f2 <- 0.5 * f1 + sqrt(0.75) * rnorm(n) + mu[2]
  F <- cbind(f1, f2)
  ys <- sapply(1:6, function(j) lam[j] * F[, (j - 1) %/% 3 + 1] + sqrt(1 - lam[j]^2) * rnorm(n))
  sapply(1:6, function(j) findInterval(ys[, j], cuts[[j]]) + 1L)
}
lam <- c(0.8, 0.7, 0.6, 0.75, 0.7, 0.65)
cuts <- rep(list(c(-1.2, -0.3, 0.5, 1.3), c(-1, -0.2, 0.7, 1.5), c(-1.5, -0.6, 0.2, 1.1)), 2)
y1 <- sim(300, c(0, 0), lam, cuts)
y2 <- sim(250, c(0.3, 0.2), lam * c(1, 1, 0.8, 1, 1, 1), cuts)
d <- as.data.frame(rbind(y1, y2))
colnames(d) <- paste0("y", 1:6)
d$g <- rep(c("a", "b"), c(300, 250))
write.csv(d, "input.csv", row.names = FALSE)

model <- "f1 =~ y1 + y2 + y3\nf2 =~ y4 + y5 + y6"
model_sem <- "f1 =~ y1 + y2 + y3\nf2 =~ y4 + y5 + y6\nf2 ~ f1"
items <- paste0("y", 1:6)
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
       params = list(lhs = pe$lhs, op = pe$op, rhs = pe$rhs, group = pe$group,
                     label = pe$label, est = pe$est, se = pe$se, z = pe$z,
                     pvalue = pe$pvalue, ci.lower = pe$ci.lower, ci.upper = pe$ci.upper),
       std = list(lhs = sts$lhs, op = sts$op, rhs = sts$rhs, group = sts$group,
                  est.std = sts$est.std, se = sts$se),
       test = lapply(lavInspect(fit, "test"),
                     function(t) t[setdiff(names(t), c("refdistr", "label", "scaled.test"))]),
       options = fit@Options[c("estimator", "se", "test", "parameterization", "std.lv")])
}
eq <- c("loadings", "thresholds")
fits <- list(
  configural = cfa(model, data = d, group = "g", ordered = items, estimator = "WLSMV"),
  scalar = cfa(model, data = d, group = "g", ordered = items, estimator = "WLSMV",
               group.equal = eq),
  scalar_dwls = cfa(model, data = d, group = "g", ordered = items, estimator = "DWLS",
                    group.equal = eq),
  partial = cfa(model, data = d, group = "g", ordered = items, estimator = "WLSMV",
                group.equal = eq, group.partial = "y3|t1"),
  sem_metric = sem(model_sem, data = d, group = "g", ordered = items, estimator = "WLSMV",
                   group.equal = "loadings"),
  scalar_stdlv = cfa(model, data = d, group = "g", ordered = items, estimator = "WLSMV",
                     group.equal = eq, std.lv = TRUE))
out <- list(
  tolerance = list(rtol = 1e-6, rtol_iterative = 1e-5,
                   reason = paste("polychoric correlations (nlminb) and the DWLS fit (nlminb)",
                                  "are iterative; lavaan stops at its default tolerances"),
                   rtol_p_value = 1e-4,
                   reason_p_value = paste("p values of z = est/se: a relative change e of z",
                                          "moves p by about z^2 e (|z| up to 3.4 here)")),
  calls = list(
    configural = 'cfa(model, data = d, group = "g", ordered = items, estimator = "WLSMV")',
    scalar = 'cfa(..., estimator = "WLSMV", group.equal = c("loadings", "thresholds"))',
    scalar_dwls = 'cfa(..., estimator = "DWLS", group.equal = c("loadings", "thresholds"))',
    partial = 'cfa(..., group.equal = c("loadings", "thresholds"), group.partial = "y3|t1")',
    sem_metric = 'sem(model_sem, ..., estimator = "WLSMV", group.equal = "loadings")',
    scalar_stdlv = 'cfa(..., group.equal = c("loadings", "thresholds"), std.lv = TRUE)'),
  model = model, model_sem = model_sem, items = items, group = "g",
  fits = lapply(fits, dump_fit))
writeLines(toJSON(out, digits = NA, auto_unbox = TRUE, pretty = TRUE, na = "null"),
           "expected.json")
writeLines(capture.output(sessionInfo()), "sessionInfo.txt")
print(sessionInfo())
