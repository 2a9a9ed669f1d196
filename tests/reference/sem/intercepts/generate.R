# Reference: a single-group model with user intercepts ('~ 1' lines). lavaan then fits a
# mean structure (meanstructure = TRUE by default when the model has '~ 1'): the observed
# intercepts are free, a fixed latent mean stays 0, df as without them.
# Run from this folder: Rscript generate.R  (reads the Holzinger data of tests/reference/cfa)
library(lavaan); library(jsonlite)
d <- read.csv("../../cfa/holzinger/input.csv")
model <- "visual =~ x1 + x2 + x3\ntextual =~ x4 + x5 + x6\nx1 ~ 1\nvisual ~ 0*1"
f <- sem(model, d)
fm <- fitMeasures(f, c("chisq", "df", "pvalue", "cfi", "tli", "rmsea", "srmr", "aic", "bic"))
pe <- parameterEstimates(f)
std <- standardizedSolution(f)
out <- list(model = model, fit = as.list(fm),
            estimates = data.frame(lhs = pe$lhs, op = pe$op, rhs = pe$rhs, est = pe$est,
                                   se = pe$se, std_all = std$est.std),
            tolerance = list(rtol = 1e-5, reason = "iterative ML fit (nlminb vs surveykit's optimiser)"))
writeLines(toJSON(out, digits = NA, auto_unbox = TRUE, pretty = TRUE), "expected.json")
writeLines(capture.output(sessionInfo()), "sessionInfo.txt")
