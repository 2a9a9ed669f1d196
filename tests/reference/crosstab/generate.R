# Reference for surveykit.crosstab: chisq.test / fisher.test, plus Cramér's V written out in
# base R (effectsize::cramers_v formula with alternative = "two.sided"; effectsize is not
# installed); Fisher's exact test for 2x2 and r x c tables. Data: Holzinger & Swineford (1939) (../groups/holzinger/input.csv; grade has
# one missing value) and airquality with Month[c(3, 50)] <- NA (../groups/airquality/input.csv).
# Run from this folder: Rscript generate.R
source("../groups/formulas.R")
cramer <- function(x2, n, r, c, adjust) {
  if (!adjust) return(sqrt(x2 / (n * (min(r, c) - 1))))
  phi2 <- max(0, x2 / n - (r - 1) * (c - 1) / (n - 1))
  rr <- r - (r - 1)^2 / (n - 1); cc <- c - (c - 1)^2 / (n - 1)
  sqrt(phi2 / (min(rr, cc) - 1))
}
one <- function(file, a, b, correct = TRUE, adjust = FALSE, level = 0.95, extra = NULL, fisher_rxc = FALSE) {
  d <- read.csv(file, na.strings = "")
  if (!is.null(extra)) d <- extra(d)
  tab <- table(d[[a]], d[[b]])
  ct <- suppressWarnings(chisq.test(tab, correct = correct))
  plain <- suppressWarnings(chisq.test(tab, correct = FALSE))$statistic
  r <- nrow(tab); c <- ncol(tab); n <- sum(tab)
  lam <- ncp_chisq(unname(plain), (r - 1) * (c - 1), level)
  out <- list(file = file, row = a, col = b, correct = correct, bias_correct = adjust, level = level,
    statistic = unname(ct$statistic), df = unname(ct$parameter), p_value = ct$p.value, n = n,
    n_dropped = nrow(d) - n, rows = rownames(tab), cols = colnames(tab),
    count = as.vector(t(tab)), expected = as.vector(t(ct$expected)),
    residual = as.vector(t(ct$residuals)), std_residual = as.vector(t(ct$stdres)),
    cramers_v = cramer(unname(plain), n, r, c, adjust),
    cramers_v_ci = pmin(1, pmax(0, c(cramer(lam[1], n, r, c, adjust), cramer(lam[2], n, r, c, adjust)))))
  if (r == 2 && c == 2) {
    f <- fisher.test(tab, conf.level = level)
    out$fisher <- list(p_value = f$p.value, odds_ratio = unname(f$estimate), ci = f$conf.int)
  } else if (fisher_rxc) {
    out$fisher <- list(p_value = fisher.test(tab)$p.value)
  }
  out
}
H <- "../groups/holzinger/input.csv"; A <- "../groups/airquality/input.csv"; C <- "../groups/chickwts/input.csv"
heavy <- function(d) { d$heavy <- ifelse(d$weight > 250, "heavy", "light"); d }
out <- list(cases = list(
  one(H, "school", "sex"),
  one(H, "school", "sex", correct = FALSE),
  one(H, "school", "grade", adjust = TRUE),
  one(H, "ageyr", "school", level = 0.9),
  one(A, "heat", "Month", fisher_rxc = TRUE),
  one(A, "Month", "heat", adjust = TRUE),
  one(C, "pair", "heavy", extra = heavy),
  one(C, "feed", "heavy", extra = heavy, fisher_rxc = TRUE)),
  tolerance = list(rtol = 1e-6, fisher_odds_ratio_rtol = 1e-3,
    reason = "fisher.test solves the conditional MLE odds ratio and its CI with uniroot's default tolerance (~1e-4); surveykit solves them precisely, so these agree with R to ~1e-3 (the p value to 1e-6)"))
writeLines(toJSON(out, auto_unbox = TRUE, digits = NA, pretty = TRUE), "expected.json")
print(sessionInfo())
