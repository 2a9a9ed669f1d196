# Factor-analysis reference on datasets::USJudgeRatings (43 judges, 12 ratings): nearly
# singular (smallest eigenvalue ~0.002), so the one-factor minres fit is flat and psych's
# optimiser (R's optim L-BFGS-B 2.3, factr 1e7) stops ~1e-9 above the minimum in the criterion;
# loadings, communalities and BIC then depend on the optimiser's path (scipy's L-BFGS-B 3.0
# differs by up to 1.4e-5). Also a 2-factor minres fit and the observed eigenvalues of
# fa.parallel. ml fits are left out: on these data psych's optimiser does not converge within
# maxit = 100 (1 and 2 factors), and where it stops depends on rounding (a 1e-15 difference in
# the objective grows to 1e-9 by iteration 30), so no other implementation can equal it there.
# Run from this folder: Rscript generate.R   (R 4.2, psych 2.2.9, GPArotation, jsonlite)
suppressMessages({library(psych); library(GPArotation); library(jsonlite)})
x <- datasets::USJudgeRatings
write.csv(x, "input.csv", row.names = FALSE)
x <- read.csv("input.csv")
items <- colnames(x)
named <- function(v, n) setNames(as.list(unname(v)), n)
mat <- function(L) lapply(as.data.frame(unclass(L)), function(v) setNames(as.list(v), rownames(L)))
fa_case <- function(nf, fm, rot) {
  f <- suppressWarnings(psych::fa(x, nfactors = nf, fm = fm, rotate = rot))
  list(nfactors = nf, fm = fm, rotate = rot, n_obs = f$n.obs, loadings = mat(unclass(f$loadings)),
       communality = named(f$communality, items), uniquenesses = named(f$uniquenesses, items),
       e_values = f$e.values, values = f$values,
       stats = list(chisq = f$STATISTIC, dof = f$dof, bic = f$BIC, rms = f$rms, crms = f$crms,
                    fit = f$fit, fit_off = f$fit.off, objective = f$objective,
                    criterion = unname(f$criteria["objective"]), tli = f$TLI,
                    rmsea = unname(f$RMSEA[1])))
}
R <- cor(x)
f1 <- psych::fa(R, nfactors = 1, rotate = "none", fm = "minres", warnings = FALSE)
out <- list(source = "datasets::USJudgeRatings (psych 2.2.9)", n = nrow(x),
  eigen_min = min(eigen(R)$values),
  efa = list(fa_case(1, "minres", "none"), fa_case(2, "minres", "oblimin")),
  parallel_observed = list(pc_values = eigen(R)$values, fa_values = f1$values),
  tolerance = list(rtol = 1e-6, reason = "every cell"))
writeLines(toJSON(out, auto_unbox = TRUE, digits = NA, pretty = TRUE), "expected.json")
print(sessionInfo())
