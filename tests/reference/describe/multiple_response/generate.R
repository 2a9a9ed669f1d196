# Multiple-response frequencies and crosstab (SPSS MULT RESPONSE) with base R.
# Simulated data (seed 20261203): 240 cases, a multi-select Q5 with 5 options stored as 0/1
# columns Q5_1..Q5_5; 30 cases not shown the question (all NA), some shown and ticking
# nothing (all 0), a grouping variable region (1..3) with 8 NA.
set.seed(20261203)
n <- 240
p <- c(.55, .35, .25, .15, .05)
x <- sapply(p, function(pr) rbinom(n, 1, pr))
colnames(x) <- paste0("Q5_", 1:5)
x[sample(n, 30), ] <- NA
region <- sample(1:3, n, replace = TRUE, prob = c(.4, .35, .25))
region[sample(n, 8)] <- NA
d <- data.frame(id = 1:n, region = region, x)
write.csv(d, "input.csv", row.names = FALSE, na = "")

d <- read.csv("input.csv")
x <- as.matrix(d[paste0("Q5_", 1:5)])
freq <- function(x) {
  k <- colSums(x == 1, na.rm = TRUE)
  ticks <- rowSums(x == 1, na.rm = TRUE)
  shown <- rowSums(!is.na(x)) > 0
  valid <- ticks > 0
  list(count = unname(k), percent_responses = unname(100 * k / sum(k)),
       percent_cases = unname(100 * k / sum(valid)), n = nrow(x), n_valid = sum(valid),
       n_none = sum(shown & !valid), n_not_shown = sum(!shown),
       n_missing = sum(!valid), n_responses = sum(k))
}
overall <- freq(x)
g <- d$region
by <- lapply(sort(unique(g[!is.na(g)])), function(v) c(group = v, freq(x[!is.na(g) & g == v, , drop = FALSE])))
# the crosstab counts once more with rowsum (options x groups)
keep <- !is.na(g)
ct <- t(rowsum(x[keep, ], g[keep], na.rm = TRUE))
out <- list(overall = overall, by = by, counts = unname(ct), n_dropped = sum(is.na(g)),
            rtol = 1e-6)
writeLines(jsonlite::toJSON(out, auto_unbox = TRUE, digits = NA, pretty = TRUE), "expected.json")
print(sessionInfo())
