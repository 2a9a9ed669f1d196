# Reliability reference with rows that answer no item (psych::alpha counts them: nsub <- dim(x)[1]).
# Data: psych::bfi rows 1..500, items A1..A5 and N1..N5 (real scattered missing values), with
#   * rows 7, 42, 43, 150, 288, 401, 499 set missing on every item (empty on both scales),
#   * rows 10, 20, 333 set missing on N1..N5 only (empty on neuroticism only),
#   * 3 % of the other cells set missing at random (set.seed(20261122)).
# Run from this folder: Rscript generate.R   (writes input.csv and expected.json)
# R 4.2.2, psych 2.2.9, jsonlite.
suppressMessages({library(psych); library(jsonlite)})
items <- c(paste0("A", 1:5), paste0("N", 1:5))
x <- psych::bfi[1:500, items]
x[c(7, 42, 43, 150, 288, 401, 499), ] <- NA
x[c(10, 20, 333), paste0("N", 1:5)] <- NA
set.seed(20261122)
m <- matrix(runif(nrow(x) * ncol(x)) < 0.03, nrow(x))
x[m] <- NA
write.csv(cbind(respondent = rownames(x), x), "input.csv", row.names = FALSE, na = "")
keyed <- x; keyed$A1 <- 7 - keyed$A1          # A1 reverse keyed on 1..6
scales <- list(agreeableness = paste0("A", 1:5), neuroticism = paste0("N", 1:5))
named <- function(v, n) setNames(as.list(unname(v)), n)
one <- function(x) {
  a <- psych::alpha(x, warnings = FALSE)
  f1 <- psych::fa(x, nfactors = 1, fm = "ml")
  l <- as.vector(f1$loadings); u <- f1$uniquenesses
  it <- a$item.stats; dr <- a$alpha.drop
  list(n = nrow(x), n_empty = sum(rowSums(!is.na(x)) == 0),
       alpha = a$total$raw_alpha, std_alpha = a$total$std.alpha, g6 = a$total[["G6(smc)"]],
       average_r = a$total$average_r, signal_noise = a$total[["S/N"]], ase = a$total$ase,
       mean = a$total$mean, sd = a$total$sd, median_r = a$total$median_r,
       feldt = list(low = as.numeric(unlist(a$feldt$lower.ci)), high = as.numeric(unlist(a$feldt$upper.ci))),
       duhachek = list(low = a$total$raw_alpha - 1.96 * a$total$ase, high = a$total$raw_alpha + 1.96 * a$total$ase),
       omega_total = sum(l)^2 / (sum(l)^2 + sum(u)),
       items = list(n = named(it$n, colnames(x)), raw_r = named(it$raw.r, colnames(x)), std_r = named(it$std.r, colnames(x)),
                    r_cor = named(it$r.cor, colnames(x)), r_drop = named(it$r.drop, colnames(x)),
                    mean = named(it$mean, colnames(x)), sd = named(it$sd, colnames(x)),
                    alpha_if_deleted = named(dr$raw_alpha, colnames(x)), std_alpha_if_deleted = named(dr$std.alpha, colnames(x)),
                    g6_if_deleted = named(dr[["G6(smc)"]], colnames(x)), average_r_if_deleted = named(dr$average_r, colnames(x)),
                    signal_noise_if_deleted = named(dr[["S/N"]], colnames(x)), alpha_se_if_deleted = named(dr[["alpha se"]], colnames(x)),
                    var_r_if_deleted = named(dr$var.r, colnames(x)), median_r_if_deleted = named(dr$med.r, colnames(x))))
}
out <- list(source = "psych::bfi rows 1..500 (psych 2.2.9), empty rows added as described in generate.R",
            reverse = "A1", scale_range = c(1, 6),
            note = paste("keep = psych::alpha(x) on every row (surveykit default empty_rows='keep');",
                         "drop = psych::alpha(x[rowSums(!is.na(x)) > 0, ]) (empty_rows='drop');",
                         "listwise = psych::alpha(na.omit(x))."))
for (s in names(scales)) {
  x <- keyed[, scales[[s]]]
  out[[s]] <- list(items = scales[[s]], keep = one(x), drop = one(x[rowSums(!is.na(x)) > 0, ]),
                   listwise = one(na.omit(x)))
}
writeLines(toJSON(out, auto_unbox = TRUE, digits = NA, pretty = TRUE), "expected.json")
print(sessionInfo())
