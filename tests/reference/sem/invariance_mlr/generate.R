# Reference values for surveykit.invariance(..., estimator = "MLR"): lavaan 0.6-14.
# Two groups (a: 300, b: 260), two factors x 3 items with skewed (centred chi-square, df 3)
# residuals; group b has a higher intercept on x3 and a larger loading on x5, so the
# scalar level misfits. The levels are lavaan's group.equal sequence and lavTestLRT's
# scaled difference (method "satorra.bentler.2001", the default for MLR). Written to input.csv.
# Run from this folder: Rscript generate.R   (R 4.2.2, lavaan 0.6-14)
suppressMessages({library(lavaan); library(jsonlite)})
set.seed(20261205)
sim <- function(n, nu3, l5) {
  f <- matrix(rnorm(n * 2), n) %*% chol(matrix(c(1, 0.4, 0.4, 1), 2))
  L <- cbind(c(0.8, 0.7, 0.6, 0, 0, 0), c(0, 0, 0, 0.75, l5, 0.6))
  e <- (matrix(rchisq(n * 6, 3), n) - 3) / sqrt(6) * 0.6
  x <- f %*% t(L) + e
  x[, 3] <- x[, 3] + nu3
  x
}
x <- rbind(sim(300, 0, 0.7), sim(260, 0.35, 0.9))
d <- data.frame(round(x, 4))
names(d) <- paste0("x", 1:6)
d$g <- rep(c("a", "b"), c(300, 260))
write.csv(d, "input.csv", row.names = FALSE)

model <- "f1 =~ x1 + x2 + x3\nf2 =~ x4 + x5 + x6"
eq <- list(configural = "", metric = "loadings",
           scalar = c("loadings", "intercepts"),
           strict = c("loadings", "intercepts", "residuals"))
fm_names <- c("chisq", "df", "pvalue", "chisq.scaled", "pvalue.scaled", "chisq.scaling.factor",
              "cfi", "tli", "rmsea", "srmr", "cfi.scaled", "rmsea.scaled", "cfi.robust",
              "tli.robust", "rmsea.robust")
fits <- lapply(eq, function(e) cfa(model, data = d, group = "g", group.equal = e,
                                   estimator = "MLR"))
lrt <- lavTestLRT(fits$configural, fits$metric, fits$scalar, fits$strict)
out <- list(
  tolerance = list(rtol = 1e-6, rtol_iterative = 1e-5,
                   reason = "ML fits are iterative (nlminb); lavaan stops at its tolerance"),
  calls = list(fit = 'cfa(model, data = d, group = "g", group.equal = e, estimator = "MLR")',
               lrt = "lavTestLRT(configural, metric, scalar, strict)  # satorra.bentler.2001"),
  model = model, group = "g",
  fits = lapply(fits, function(f) as.list(fitMeasures(f, fm_names))),
  lrt = list(chisq = lrt$Chisq, df = lrt$Df, chisq_diff = lrt$`Chisq diff`,
             df_diff = lrt$`Df diff`, p = lrt$`Pr(>Chisq)`, method = attr(lrt, "heading")))
writeLines(toJSON(out, digits = NA, auto_unbox = TRUE, pretty = TRUE, na = "null"), "expected.json")
writeLines(capture.output(sessionInfo()), "sessionInfo.txt")
print(lrt)
