# Reference values for surveykit.describe_scores: psych::describe (type 3 skew and kurtosis,
# the default) of three score columns with missing values. Written to input.csv.
# Run from this folder: Rscript generate.R   (R 4.2.2, psych 2.2.9)
suppressMessages({library(psych); library(jsonlite)})
set.seed(20261204)
n <- 157
a <- round(pmin(pmax(rnorm(n, 3.4, 0.8), 1), 5) * 4) / 4        # a mean of 4 items
b <- round(rexp(n, 1 / 2) + 1, 2)                               # right-skewed
c <- sample(5:25, n, replace = TRUE, prob = (5:25)^2)           # a sum score, left-skewed
a[c(3, 17, 60)] <- NA
b[c(5, 80)] <- NA
c[c(9, 10, 11, 140)] <- NA
d <- data.frame(a = a, b = b, c = c)
write.csv(d, "input.csv", row.names = FALSE, na = "")
ds <- describe(d)
out <- list(call = "psych::describe(d, type = 3)",
            tolerance = list(rtol = 1e-6),
            scale = rownames(ds), n = ds$n, mean = ds$mean, sd = ds$sd, median = ds$median,
            min = ds$min, max = ds$max, skew = ds$skew, kurtosis = ds$kurtosis, se = ds$se)
writeLines(toJSON(out, digits = NA, auto_unbox = TRUE, pretty = TRUE), "expected.json")
writeLines(capture.output(sessionInfo()), "sessionInfo.txt")
