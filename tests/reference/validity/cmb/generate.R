# Reference for surveykit.common_method_bias on simulated data (set.seed below, written to
# input.csv): 480 respondents, three correlated traits (T1-T3) with four items each and a
# common method factor loading .3-.4 on every item. No missing values.
#   Harman by principal components: psych::principal(x, nfactors = 1, rotate = "none")
#     share = Vaccounted["Proportion Var", 1] (= first eigenvalue of cor(x) / p);
#   Harman by factor analysis: psych::fa(x, nfactors = 1, rotate = "none") (fm = "minres"),
#     share = Vaccounted["Proportion Var", 1] (= SS loadings / p);
#   lavaan::cfa for the measurement model, the single-factor model (one factor, all items)
#     and the ULMC model (measurement model + method =~ all items with method ~~ 1*method,
#     method ~~ 0*each trait),
#     fitMeasures chisq, df, pvalue, cfi, rmsea; lavTestLRT(measurement, single) and
#     lavTestLRT(ulmc, measurement) for the chi-square difference tests;
#     method variance = mean of the squared std.all method loadings (standardizedSolution).
# Run: Rscript generate.R
library(psych); library(lavaan); library(jsonlite)
set.seed(20261203)
n <- 480
Phi <- matrix(c(1, .3, .2, .3, 1, .25, .2, .25, 1), 3)
Tr <- MASS::mvrnorm(n, rep(0, 3), Phi)
M <- rnorm(n)
lam <- c(.7, .65, .6, .55)
x <- do.call(cbind, lapply(1:3, function(k) sapply(1:4, function(j)
  lam[j] * Tr[, k] + runif(1, .1, .7) * M + rnorm(n, 0, .6))))
colnames(x) <- sprintf("%s%d", rep(c("A", "B", "C"), each = 4), rep(1:4, 3))
write.csv(round(as.data.frame(x), 3), "input.csv", row.names = FALSE)
x <- read.csv("input.csv")
items <- colnames(x)
pc <- principal(x, nfactors = 1, rotate = "none")
fa1 <- fa(x, nfactors = 1, rotate = "none")
meas <- "A =~ A1 + A2 + A3 + A4\nB =~ B1 + B2 + B3 + B4\nC =~ C1 + C2 + C3 + C4"
single <- paste("harman =~", paste(items, collapse = " + "))
# the method factor identified by its variance (all loadings free): the same fit as lavaan's
# marker default, as surveykit specifies it
ulmc <- paste(meas, paste0("method =~ NA*", paste(items, collapse = " + ")), "method ~~ 1*method",
              "method ~~ 0*A\nmethod ~~ 0*B\nmethod ~~ 0*C", sep = "\n")
# lavaan's default fit (nlminb, rel.tol 1e-10) stops with a gradient of ~1e-6, which leaves the
# weakly determined method loadings ~1e-5 (relative) from the optimum; each fit is polished from
# there by BFGS (reltol 1e-16) to a gradient of ~1e-8, the reference for the tests.
polish <- function(model) { f0 <- cfa(model, x)
  cfa(model, x, start = f0, optim.method = "BFGS", control = list(reltol = 1e-16, maxit = 10000)) }
fm <- polish(meas); fs <- polish(single); fu <- polish(ulmc)
fits <- function(f) as.list(fitMeasures(f, c("chisq", "df", "pvalue", "cfi", "rmsea")))
l1 <- lavTestLRT(fm, fs); l2 <- lavTestLRT(fu, fm)
ss <- standardizedSolution(fu)
ml <- ss[ss$lhs == "method" & ss$op == "=~", ]
out <- list(items = items, n = nrow(x), measurement_model = meas,
  harman_pca_share = pc$Vaccounted["Proportion Var", 1], first_eigenvalue = eigen(cor(x))$values[1],
  pca_loadings = unname(pc$loadings[, 1]),
  harman_fa_share = fa1$Vaccounted["Proportion Var", 1], fa_loadings = unname(fa1$loadings[, 1]),
  measurement = fits(fm), single = fits(fs), ulmc = fits(fu),
  single_delta_chisq = l1$`Chisq diff`[2], single_delta_df = l1$`Df diff`[2], single_delta_p = l1$`Pr(>Chisq)`[2],
  ulmc_delta_chisq = l2$`Chisq diff`[2], ulmc_delta_df = l2$`Df diff`[2], ulmc_delta_p = l2$`Pr(>Chisq)`[2],
  method_items = ml$rhs, method_std = ml$est.std, method_variance = mean(ml$est.std^2),
  max_gradient = max(sapply(list(fm, fs, fu), function(f) max(abs(lavInspect(f, "optim.gradient"))))),
  tolerance = list(rtol = 1e-5, reason = paste("the three CFA fits (chi-square, CFI, RMSEA, their",
    "differences and the standardised method loadings) come from iterative ML optimisation",
    "(lavaan polished by BFGS to a gradient of ~1e-8 vs surveykit's Newton steps to 1e-12);",
    "compared at rtol 1e-5. Harman's shares (an eigenvalue; psych's minres, whose L-BFGS-B path",
    "surveykit follows) at 1e-6.")))
writeLines(toJSON(out, auto_unbox = TRUE, digits = NA, pretty = TRUE), "expected.json")
print(sessionInfo())
