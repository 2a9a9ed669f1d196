# Reference for surveykit.aggregation: multilevel 2.7 on multilevel::lq2002 (Bliese, Halverson &
# Schriesheim 2002: 2042 soldiers in 49 companies, COMPID; leadership items LEAD01-LEAD11 and
# task significance items TSIG01-TSIG03, all 5-point, so the uniform null variance is
# ranvar = (A^2 - 1) / 12 = 2 for A = 5 options).
# input.csv: COMPID, LEAD01-11, TSIG01-03, with 40 TSIG answers set missing (set.seed below)
# to check listwise deletion (rwg.j's na.exclude; the score of aov on the same rows).
# ICC1 / ICC2 on aov(score ~ as.factor(COMPID)) with score = rowMeans of the items (the item
# itself for one item); rwg.j per company (rwg for one item).
# Run: Rscript generate.R
library(multilevel); library(jsonlite)
data(lq2002)
d <- lq2002[, c("COMPID", sprintf("LEAD%02d", 1:11), sprintf("TSIG%02d", 1:3))]
set.seed(20261203)
for (v in sprintf("TSIG%02d", 1:3)) d[[v]][sample(nrow(d), 40 / 3 + (v == "TSIG01"))] <- NA
write.csv(d, "input.csv", row.names = FALSE, na = "")
d <- read.csv("input.csv", na.strings = "")
ranvar <- (5^2 - 1) / 12
one <- function(items, cutoff = 0.7) {
  cc <- na.omit(d[, c("COMPID", items)])
  x <- cc[, items, drop = FALSE]
  score <- rowMeans(x)
  fit <- aov(score ~ as.factor(cc$COMPID)); tab <- summary(fit)[[1]]
  r <- if (length(items) > 1) rwg.j(x, cc$COMPID, ranvar = ranvar) else rwg(x[[1]], cc$COMPID, ranvar = ranvar)
  est <- r[[2]]
  gm <- tapply(score, cc$COMPID, mean)
  list(items = items, n = nrow(cc), n_dropped = nrow(d) - nrow(cc), n_groups = nrow(r),
       icc1 = ICC1(fit), icc2 = ICC2(fit), ms_between = tab[1, 3], ms_within = tab[2, 3],
       f_statistic = tab[1, 4], df1 = tab[1, 1], df2 = tab[2, 1], p_value = tab[1, 5],
       null_variance = ranvar, group = as.character(r$grpid), gsize = r$gsize, rwg = est,
       group_mean = unname(gm[as.character(r$grpid)]),
       rwg_mean = mean(est), rwg_median = median(est), rwg_share = mean(est >= cutoff))
}
out <- list(cases = list(one(sprintf("LEAD%02d", 1:11)), one(sprintf("TSIG%02d", 1:3)), one("TSIG01")))
writeLines(toJSON(out, auto_unbox = TRUE, digits = NA, pretty = TRUE), "expected.json")
print(sessionInfo())
