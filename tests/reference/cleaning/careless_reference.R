# Reference values for surveykit's careless-response indices (tests/cleaning/test_indices.py).
#
# Sourced by careless_complete/generate.R and careless_na/generate.R, which set
# `case_has_na`; run from a case folder (`Rscript generate.R`). Writes input.csv (simulated 5-point answers, seed fixed) and expected.json.
#
# R package 'careless' is not in Debian and CRAN was unreachable when this was made:
# careless 1.2.1 was rebuilt locally from its public source (the cran/careless GitHub
# mirror; R/evenodd.R, R/psychsyn.R, R/mahad.R, NAMESPACE verified against the CRAN
# 1.2.1 MD5 file; R/irv.R is the 1.2.1 body with na.rm = TRUE) and installed with
# `R CMD INSTALL` outside the surveykit repository. Only the calls below were run.
stopifnot(exists("case_has_na"))
suppressPackageStartupMessages({library(careless); library(jsonlite)})


set.seed(20240611)
factors <- c(5, 4, 5, 4)                  # four scales, items laid out scale by scale
n <- 150
p <- sum(factors)
scale_of <- rep(seq_along(factors), factors)
eta <- matrix(rnorm(n * length(factors)), n) %*% chol(matrix(0.3, 4, 4) + diag(0.7, 4))
lat <- eta[, scale_of] * 0.8 + matrix(rnorm(n * p, sd = 0.6), n)
x <- matrix(as.integer(cut(lat, c(-Inf, -1.2, -0.4, 0.4, 1.2, Inf))), n)
x[1:6, ] <- 3L                                             # straight-liners
x[7:14, ] <- sample(1:5, 8 * p, replace = TRUE)            # random responders
x[15, ] <- rep(c(1L, 5L), length.out = p)                  # alternating pattern
x[16, ] <- rep(c(2L, 2L, 4L), length.out = p)
if (case_has_na) {
  miss <- matrix(runif(n * p) < 0.08, n)
  miss[1:3, ] <- FALSE                                     # keep some complete straight-liners
  x[miss] <- NA
  x[20, ] <- NA                                            # a respondent with no answers
  x[21, -1] <- NA                                          # one answer only
  x[22, -(1:2)] <- NA                                      # two answers
  x[23, c(2, 4, 7, 9, 12, 14, 17)] <- NA                   # all even items missing
  x[24, 6:18] <- NA                                        # only the first scale answered
}
colnames(x) <- sprintf("Q%02d", seq_len(p))
d <- as.data.frame(x)
write.csv(d, "input.csv", row.names = FALSE, na = "")

crit <- 0.45
num <- function(v) { v <- as.numeric(v); v[is.nan(v)] <- NA; v }
ls <- longstring(d, avg = TRUE)
syn <- psychsyn(d, crit, diag = TRUE, resample_na = FALSE)
set.seed(1)
syn_default <- psychsyn(d, crit, diag = TRUE)              # resample_na = TRUE (random)
ant <- psychsyn(d, 0.0, anto = TRUE, diag = TRUE, resample_na = FALSE)
eo <- suppressWarnings(evenodd(d, factors, diag = TRUE))
md <- suppressWarnings(mahad(d, plot = FALSE, flag = TRUE, confidence = 0.999))
pairs <- careless:::get_item_pairs(as.matrix(d), crit, FALSE)

out <- list(
  description = paste("careless", packageVersion("careless"), "indices on", n, "simulated",
                      "respondents x", p, "items", if (case_has_na) "with missing values" else "(complete)"),
  r_version = R.version.string,
  careless_version = as.character(packageVersion("careless")),
  psych_version = as.character(packageVersion("psych")),
  factors = factors,
  critval = crit,
  longstring = num(ls$longstr),
  avgstr = num(ls$avgstr),
  irv = num(irv(d)),
  mahad = num(md$d_sq),
  mahad_cut_999 = qchisq(0.999, ncol(d)),
  mahad_flagged = as.logical(md$flagged),
  evenodd = num(eo$eo_cor),
  evenodd_pairs = num(eo$eo_missing),
  psychsyn = num(syn$cor),
  psychsyn_npairs = num(syn$numPairs),
  psychsyn_default_resample = num(syn_default$cor),
  psychant_0 = num(ant$cor),
  psychsyn_item_pairs = unname(as.matrix(data.frame(as.character(pairs[, 1]), as.character(pairs[, 2])))),
  rtol = 1e-6,
  session_info = capture.output(sessionInfo())
)
writeLines(toJSON(out, digits = NA, na = "null", auto_unbox = TRUE, pretty = TRUE), "expected.json")
sessionInfo()
