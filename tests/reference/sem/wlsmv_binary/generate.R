# Reference values for surveykit.cfa(..., ordered = TRUE, estimator = "WLSMV") with binary
# items and an empty cell in 2 x 2 tables (lavaan 0.6-14 adds 0.5 to the empty cell keeping
# the margins, zero.add = c(0.5, 0), before the polychoric (tetrachoric) fit).
# One factor, 5 binary items (y5 rare, so y5 x y1..y4 each have one empty cell), n = 300.
# Written to input.csv.   Run: Rscript generate.R (R 4.2.2)
suppressMessages({library(lavaan); library(jsonlite)})
set.seed(20261205)
n <- 300
f <- rnorm(n)
lam <- c(0.8, 0.7, 0.7, 0.6, 0.9)
ys <- sapply(lam, function(l) l * f + sqrt(1 - l^2) * rnorm(n))
cut <- c(0.2, -0.3, 0.5, 0, 2.3)
y <- sapply(1:5, function(j) as.integer(ys[, j] > cut[j]))
colnames(y) <- paste0("y", 1:5)
d <- as.data.frame(y)
write.csv(d, "input.csv", row.names = FALSE)
print(sapply(1:5, function(j) sapply(1:5, function(k) sum(table(d[[j]], d[[k]]) == 0))))
model <- "f =~ y1 + y2 + y3 + y4 + y5"
fit <- cfa(model, data = d, ordered = TRUE, estimator = "WLSMV")
pe <- parameterEstimates(fit)
ss <- lavInspect(fit, "sampstat")
fm <- fitMeasures(fit, c("npar", "chisq", "df", "chisq.scaled", "chisq.scaling.factor",
                         "cfi.scaled", "rmsea.scaled", "srmr", "cfi.robust", "tli.robust",
                         "rmsea.robust", "rmsea.ci.lower.robust", "rmsea.ci.upper.robust"))
out <- list(tolerance = list(rtol = 1e-6, rtol_iterative = 1e-5,
                             reason = "polychoric correlations and the DWLS fit are iterative (nlminb)"),
            call = 'cfa(model, data = d, ordered = TRUE, estimator = "WLSMV")',
            model = model, items = colnames(y), n = n,
            fit = as.list(fm),
            params = list(lhs = pe$lhs, op = pe$op, rhs = pe$rhs, est = pe$est, se = pe$se),
            th = unname(as.numeric(ss$th)), cov = unname(as.matrix(ss$cov)),
            gamma = unname(as.matrix(lavInspect(fit, "gamma"))))
writeLines(toJSON(out, digits = NA, auto_unbox = TRUE, pretty = TRUE), "expected.json")
writeLines(capture.output(sessionInfo()), "sessionInfo.txt")
print(sessionInfo())
