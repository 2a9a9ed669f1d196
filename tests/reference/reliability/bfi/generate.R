# Reliability reference on psych::bfi (2800 respondents, 25 six-point items, real missing values).
# Run from this folder: Rscript generate.R   (writes input.csv and expected.json)
# R 4.2.2, psych 2.2.9, GPArotation 2022.10-2, jsonlite.
suppressMessages({library(psych); library(GPArotation); library(jsonlite)})
items <- c(paste0("A", 1:5), paste0("C", 1:5), paste0("E", 1:5), paste0("N", 1:5), paste0("O", 1:5))
bfi_items <- psych::bfi[, items]
write.csv(cbind(respondent = rownames(bfi_items), bfi_items), "input.csv", row.names = FALSE, na = "")
# Reverse keying as the psych documentation keys the bfi (range 1..6 -> 7 - x).
rev_items <- c("A1", "C4", "C5", "E1", "E2", "O2", "O5")
keyed <- bfi_items; keyed[, rev_items] <- 7 - keyed[, rev_items]
scales <- list(agreeableness = paste0("A", 1:5), conscientiousness = paste0("C", 1:5),
               extraversion = paste0("E", 1:5), neuroticism = paste0("N", 1:5),
               openness = paste0("O", 1:5), ac10 = c(paste0("A", 1:5), paste0("C", 1:5)))
named <- function(v, n) setNames(as.list(unname(v)), n)
one <- function(x) {
  a <- psych::alpha(x, warnings = FALSE)
  f1 <- psych::fa(x, nfactors = 1, fm = "ml")
  l <- as.vector(f1$loadings); u <- f1$uniquenesses
  sh <- psych::splitHalf(x, check.keys = FALSE)
  it <- a$item.stats; dr <- a$alpha.drop
  list(n = nrow(x), alpha = a$total$raw_alpha, std_alpha = a$total$std.alpha, g6 = a$total[["G6(smc)"]],
       average_r = a$total$average_r, signal_noise = a$total[["S/N"]], ase = a$total$ase,
       mean = a$total$mean, sd = a$total$sd, median_r = a$total$median_r,
       feldt = list(low = as.numeric(unlist(a$feldt$lower.ci)), high = as.numeric(unlist(a$feldt$upper.ci))),
       duhachek = list(low = a$total$raw_alpha - 1.96 * a$total$ase, high = a$total$raw_alpha + 1.96 * a$total$ase),
       omega_total = sum(l)^2 / (sum(l)^2 + sum(u)),
       split_half = list(max = sh$maxrb, min = sh$minrb, mean = sh$meanr, lambda2 = sh$lambda2),
       items = list(n = named(it$n, colnames(x)), raw_r = named(it$raw.r, colnames(x)), std_r = named(it$std.r, colnames(x)),
                    r_cor = named(it$r.cor, colnames(x)), r_drop = named(it$r.drop, colnames(x)),
                    mean = named(it$mean, colnames(x)), sd = named(it$sd, colnames(x)),
                    alpha_if_deleted = named(dr$raw_alpha, colnames(x)), std_alpha_if_deleted = named(dr$std.alpha, colnames(x)),
                    g6_if_deleted = named(dr[["G6(smc)"]], colnames(x)), average_r_if_deleted = named(dr$average_r, colnames(x)),
                    signal_noise_if_deleted = named(dr[["S/N"]], colnames(x)), alpha_se_if_deleted = named(dr[["alpha se"]], colnames(x)),
                    var_r_if_deleted = named(dr$var.r, colnames(x)), median_r_if_deleted = named(dr$med.r, colnames(x))))
}
out <- list(source = "psych::bfi (psych 2.2.9)", reverse = rev_items, scale_range = c(1, 6),
            note = "Rows with no answer on a scale's items are dropped before each call (surveykit does not count them in n).")
for (s in names(scales)) {
  x <- keyed[, scales[[s]]]
  x <- x[rowSums(!is.na(x)) > 0, ]
  out[[s]] <- list(items = scales[[s]], pairwise = one(x), listwise = one(na.omit(x)))
}
# Schmid-Leiman omega (psych::omega, nfactors = 3, fm = "minres") on A1..C5, and 5 factors on all 25
for (cfg in list(list(name = "ac10", items = scales$ac10, nf = 3), list(name = "all25", items = items, nf = 5),
                 list(name = "ac10_listwise", items = scales$ac10, nf = 3, listwise = TRUE))) {
  x <- keyed[, cfg$items]; x <- x[rowSums(!is.na(x)) > 0, ]
  if (isTRUE(cfg$listwise)) x <- na.omit(x)
  om <- psych::omega(x, nfactors = cfg$nf, fm = "minres", plot = FALSE)
  sl <- om$schmid$sl
  out[[paste0("omega_", cfg$name)]] <- list(items = cfg$items, nfactors = cfg$nf, omega_h = om$omega_h,
       omega_total = om$omega.tot, omega_limit = om$omega.lim, ecv = unname(om$ECV),
       g = named(sl[, "g"], cfg$items), h2 = named(sl[, "h2"], cfg$items), u2 = named(sl[, "u2"], cfg$items))
}
# Ordinal alpha / omega from polychoric correlations (psych::polychoric, global thresholds,
# pairwise-complete tables; rho found by optimize() with its default tolerance)
for (s in c("agreeableness", "conscientiousness", "neuroticism")) {
  x <- keyed[, scales[[s]]]; x <- x[rowSums(!is.na(x)) > 0, ]
  pc <- psych::polychoric(x)
  ao <- psych::alpha(pc$rho, warnings = FALSE)
  f1 <- psych::fa(pc$rho, nfactors = 1, fm = "ml")
  l <- as.vector(f1$loadings); u <- f1$uniquenesses
  out[[paste0("ordinal_", s)]] <- list(items = scales[[s]], rho = lapply(as.data.frame(pc$rho), identity),
       ordinal_alpha = ao$total$raw_alpha, ordinal_omega = sum(l)^2 / (sum(l)^2 + sum(u)))
}
# Unequal numbers of categories (A1 collapsed to 1..4): psych switches to global = FALSE
x <- keyed[, scales$agreeableness]; x <- x[rowSums(!is.na(x)) > 0, ]; x$A1 <- pmin(x$A1, 4)
pc <- suppressWarnings(psych::polychoric(x))
out$ordinal_unequal <- list(items = scales$agreeableness, collapse = "A1 <- pmin(A1, 4)",
                            rho = lapply(as.data.frame(pc$rho), identity))
# Bootstrap CI (psych::alpha n.iter = 1000): R's and numpy's random numbers differ, so the
# interval can only agree in distribution; tests allow an absolute difference of 0.01.
set.seed(4)
x <- keyed[, scales$agreeableness]; x <- x[rowSums(!is.na(x)) > 0, ]
b <- psych::alpha(x, n.iter = 1000, warnings = FALSE)
out$bootstrap_agreeableness <- list(items = scales$agreeableness, n_iter = 1000,
  ci = unname(b$boot.ci), sd = sd(b$boot[, 1]), tolerance = list(atol = 0.01,
  reason = "percentile bootstrap: R and numpy draw different resamples; agreement is in distribution only"))
writeLines(toJSON(out, auto_unbox = TRUE, digits = NA, pretty = TRUE), "expected.json")
print(sessionInfo())
