# Factor-analysis reference with rows that answer no item, called on RAW data as a user would:
# psych::KMO(x), psych::cortest.bartlett(x) (n <- dim(x)[1]: empty rows counted),
# psych::fa(x) (n.obs <- dim(x)[1]: empty rows counted in chi-square, TLI, RMSEA, BIC) and
# psych::fa.parallel(x) (nsub <- dim(x)[1]: empty rows resampled and simulated).
# Data: the same construction as tests/reference/reliability/empty_rows (psych::bfi rows 1..500,
# A1..A5 and N1..N5, 7 rows empty on every item, 3 rows empty on N1..N5, 3 % extra missing cells).
# Run from this folder: Rscript generate.R   (writes input.csv and expected.json)
# R 4.2.2, psych 2.2.9, GPArotation, jsonlite.
suppressMessages({library(psych); library(GPArotation); library(jsonlite)})
items <- c(paste0("A", 1:5), paste0("N", 1:5))
x <- psych::bfi[1:500, items]
x[c(7, 42, 43, 150, 288, 401, 499), ] <- NA
x[c(10, 20, 333), paste0("N", 1:5)] <- NA
set.seed(20261122)
m <- matrix(runif(nrow(x) * ncol(x)) < 0.03, nrow(x))
x[m] <- NA
write.csv(cbind(respondent = rownames(x), x), "input.csv", row.names = FALSE, na = "")
named <- function(v, n) setNames(as.list(unname(v)), n)
mat <- function(L) lapply(as.data.frame(unclass(L)), function(v) setNames(as.list(v), rownames(L)))
fa_case <- function(d, nf, fm, rot) {
  f <- psych::fa(d, nfactors = nf, fm = fm, rotate = rot)
  L <- unclass(f$loadings)
  list(nfactors = nf, fm = fm, rotate = rot, n_obs = f$n.obs, loadings = mat(L),
       communality = named(f$communality, items), uniquenesses = named(f$uniquenesses, items),
       Phi = if (is.null(f$Phi)) NULL else mat(f$Phi),
       stats = list(chisq = f$STATISTIC, dof = f$dof, p = f$PVAL, tli = f$TLI, rmsea = unname(f$RMSEA[1]),
                    rmsea_lower = unname(f$RMSEA[2]), rmsea_upper = unname(f$RMSEA[3]), bic = f$BIC,
                    rms = f$rms, crms = f$crms))
}
drop_empty <- function(d) d[rowSums(!is.na(d)) > 0, ]
out <- list(source = "psych::bfi rows 1..500 (psych 2.2.9), empty rows added as described in generate.R",
            n_rows = nrow(x), n_empty = sum(rowSums(!is.na(x)) == 0),
            note = paste("keep = the call on raw x (surveykit default empty_rows='keep');",
                         "drop = the call on x[rowSums(!is.na(x)) > 0, ] (empty_rows='drop');",
                         "listwise = the call on na.omit(x)."))
for (v in c("keep", "drop", "listwise")) {
  d <- switch(v, keep = x, drop = drop_empty(x), listwise = na.omit(x))
  km <- KMO(d)
  bt <- suppressMessages(cortest.bartlett(d))
  pa_obs <- psych::fa(cor(d, use = "pairwise"), nfactors = 1, rotate = "none", fm = "minres", warnings = FALSE)
  out[[v]] <- list(n = nrow(d), kmo = list(overall = km$MSA, items = named(km$MSAi, items)),
                   bartlett = list(chisq = bt$chisq, df = bt$df, p = bt$p.value),
                   efa = list(fa_case(d, 2, "minres", "oblimin"), fa_case(d, 2, "ml", "varimax")),
                   parallel_observed = list(pc_values = eigen(cor(d, use = "pairwise"))$values,
                                            fa_values = pa_obs$values))
}
writeLines(toJSON(out, auto_unbox = TRUE, digits = NA, pretty = TRUE, null = "null"), "expected.json")
print(sessionInfo())
