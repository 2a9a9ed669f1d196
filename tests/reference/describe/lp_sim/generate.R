# Reference for sk.describe_sample and sk.describe_scales (simulated, seed 11).
# Items of local_protectionism 1.0.0 (LP03, LP06, LP09 reverse keyed; min_valid 2 of 3),
# one profile item (region 1/2, -99 refused) with empty cells. Scores as sk.score computes
# them: reverse 6 - x, mean of the answered items when at least 2 are answered.
suppressPackageStartupMessages({library(psych); library(jsonlite)})
set.seed(11)
n <- 240
f <- rnorm(n)
items <- c("LP01","LP02","LP03","LP04","LP05","LP06","LP07","LP08","LP09")
rev <- c("LP03","LP06","LP09")
x <- sapply(seq_along(items), function(j) pmin(5, pmax(1, round(3 + 0.8 * f + rnorm(n, 0, 1)))))
colnames(x) <- items
x[, rev] <- 6 - x[, rev]
x[sample(length(x), 60)] <- NA
region <- sample(c(1, 2, -99), n, replace = TRUE, prob = c(.55, .4, .05))
region[sample(n, 7)] <- NA
d <- data.frame(PR01 = region, x)
write.csv(d, "input.csv", row.names = FALSE, na = "")
# sample profile: table(useNA = "ifany"), percent of all, valid percent of answered
valid <- d$PR01[!is.na(d$PR01) & d$PR01 != -99]
tab_all <- table(factor(d$PR01, levels = c(1, 2, -99)), useNA = "ifany")
profile <- list(count = as.vector(tab_all), percent = as.vector(prop.table(tab_all)) * 100,
                valid_percent = as.vector(prop.table(table(factor(valid, levels = c(1, 2))))) * 100)
# scale scores
scored <- x
scored[, rev] <- 6 - scored[, rev]
sc <- function(cols) { m <- rowMeans(scored[, cols], na.rm = TRUE)
  m[rowSums(!is.na(scored[, cols])) < 2] <- NA; m }
S <- data.frame(market_barriers = sc(c("LP01","LP02","LP03")),
                administrative_barriers = sc(c("LP04","LP05","LP06")),
                factor_mobility_barriers = sc(c("LP07","LP08","LP09")))
desc <- psych::describe(S)
pairs <- combn(names(S), 2)
cors <- apply(pairs, 2, function(p) { t <- cor.test(S[[p[1]]], S[[p[2]]])
  c(estimate = unname(t$estimate), p_value = t$p.value, n = sum(complete.cases(S[, p]))) })
alpha <- sapply(list(c("LP01","LP02","LP03"), c("LP04","LP05","LP06"), c("LP07","LP08","LP09")),
                function(cols) { k <- ifelse(cols %in% rev, -1, 1)
                  psych::alpha(x[, cols], keys = cols[k < 0], warnings = FALSE)$total$raw_alpha })
out <- list(profile = profile,
            scales = list(mean = desc$mean, sd = desc$sd, n = desc$n, alpha = unname(alpha)),
            correlations = list(variable_a = pairs[1, ], variable_b = pairs[2, ],
                                estimate = unname(cors["estimate", ]),
                                p_value = unname(cors["p_value", ]), n = unname(cors["n", ])),
            session = capture.output(sessionInfo())[1:3])
write_json(out, "expected.json", digits = NA, auto_unbox = TRUE, pretty = TRUE)
