# Factor-analysis reference on psych::bfi (2800 respondents, 25 six-point items, real missing values).
# Run from this folder: Rscript generate.R   (writes input.csv and expected.json)
# R 4.2.2, psych 2.2.9, GPArotation 2022.10-2, jsonlite.
suppressMessages({library(psych); library(GPArotation); library(jsonlite)})
items <- c(paste0("A", 1:5), paste0("C", 1:5), paste0("E", 1:5), paste0("N", 1:5), paste0("O", 1:5))
x <- psych::bfi[, items]
write.csv(cbind(respondent = rownames(x), x), "input.csv", row.names = FALSE, na = "")
x <- x[rowSums(!is.na(x)) > 0, ]   # (no row of bfi is empty on all 25 items; kept for clarity)
named <- function(v, n) setNames(as.list(unname(v)), n)
mat <- function(L) lapply(as.data.frame(unclass(L)), function(v) setNames(as.list(v), rownames(L)))
fa_case <- function(d, nf, fm, rot) {
  f <- psych::fa(d, nfactors = nf, fm = fm, rotate = rot)
  L <- unclass(f$loadings)
  list(nfactors = nf, fm = fm, rotate = rot, n_obs = f$n.obs, loadings = mat(L),
       communality = named(f$communality, items), uniquenesses = named(f$uniquenesses, items),
       Phi = if (is.null(f$Phi)) NULL else mat(f$Phi),
       Vaccounted = mat(f$Vaccounted), e_values = f$e.values,
       stats = list(chisq = f$STATISTIC, dof = f$dof, p = f$PVAL, tli = f$TLI, rmsea = unname(f$RMSEA[1]), rmsea_lower = unname(f$RMSEA[2]), rmsea_upper = unname(f$RMSEA[3]),
                    bic = f$BIC, rms = f$rms, crms = f$crms, fit = f$fit, fit_off = f$fit.off,
                    objective = f$objective, chi = f$chi, complexity = named(f$complexity, items)))
}
out <- list(source = "psych::bfi (psych 2.2.9)", n = nrow(x))
for (use in c("pairwise", "listwise")) {
  d <- if (use == "pairwise") x else na.omit(x)
  R <- cor(d, use = "pairwise")
  km <- KMO(d)
  bt <- cortest.bartlett(R, n = nrow(d))
  res <- list(n = nrow(d), kmo = list(overall = km$MSA, items = named(km$MSAi, items)),
              bartlett = list(chisq = bt$chisq, df = bt$df, p = bt$p.value))
  cases <- list(c(5, "minres", "oblimin"), c(5, "ml", "varimax"), c(5, "pa", "promax"),
                c(5, "minres", "geominQ"), c(3, "ml", "oblimin"), c(1, "minres", "none"), c(5, "minres", "none"))
  if (use == "listwise") cases <- cases[c(1, 2, 3)]
  res$efa <- lapply(cases, function(cs) fa_case(d, as.integer(cs[1]), cs[2], cs[3]))
  f1 <- psych::fa(R, nfactors = 1, rotate = "none", fm = "minres", warnings = FALSE)
  res$parallel_observed <- list(pc_values = eigen(R)$values, fa_values = f1$values)
  out[[use]] <- res
}
set.seed(20221)
pa <- psych::fa.parallel(x, n.iter = 100, fm = "minres", fa = "both", plot = FALSE)
out$parallel <- list(n_iter = 100, nfact = pa$nfact, ncomp = pa$ncomp, fa_values = pa$fa.values, pc_values = pa$pc.values,
                     pc_sim = pa$pc.sim, pc_simr = pa$pc.simr, fa_sim = pa$fa.sim, fa_simr = pa$fa.simr,
                     q95 = as.list(apply(pa$values, 2, quantile, 0.95)),
                     tolerance = list(rule = "observed eigenvalues rtol 1e-6; random means within 5 standard errors (+1e-3); nfact and ncomp equal",
                                      reason = "resampled and simulated data come from different random number generators (R vs numpy)"))
writeLines(toJSON(out, auto_unbox = TRUE, digits = NA, pretty = TRUE, null = "null"), "expected.json")
print(sessionInfo())
