# Reference for surveykit.cfa on a Heywood case: lavaan fits it with a negative residual
# variance and warns ("some estimated ov variances are negative").
# Simulated: one factor, four indicators, n = 500, x1 with a population loading of 0.985
# (standardised), x1 and x3 on a 1/10 scale. set.seed(22): lavaan's x1 residual variance is
# negative; surveykit before this case stopped with "did not converge within 500 iterations
# (largest gradient 1.1e-07)" — its gradient stalls at rounding level while f no longer moves.
# Reference values: lavaan's default optimiser (nlminb). Unlike ../holzinger, BFGS run to
# reltol = 1e-16 stops HIGHER here (chi-square 1.6284064811 vs nlminb's 1.6284064797, stored
# under "bfgs_chisq"), so nlminb's solution is the closer one to the ML optimum.
# Run from this folder: Rscript generate.R   (R 4.2, lavaan 0.6-14, semTools 0.5-6)
suppressMessages({library(lavaan); library(semTools); library(jsonlite)})
source("../dump_fit.R")
model <- "F =~ x1 + x2 + x3 + x4"
sim <- function(s, n = 500) {
  set.seed(s); f <- rnorm(n); lam <- c(0.985, 0.55, 0.5, 0.45)
  d <- as.data.frame(sapply(lam, function(l) l * f + sqrt(1 - l^2) * rnorm(n)))
  names(d) <- paste0("x", 1:4); d$x1 <- d$x1 / 10; d$x3 <- d$x3 / 10; d
}
theta_x1 <- function(fit) { pe <- parameterEstimates(fit); pe$est[pe$lhs == "x1" & pe$op == "~~" & pe$rhs == "x1"] }
s <- 22
d <- sim(s)
write.csv(d, "input.csv", row.names = FALSE)
d <- read.csv("input.csv")
warn <- NULL
default <- withCallingHandlers(cfa(model, data = d), warning = function(w) {
  warn <<- c(warn, conditionMessage(w)); invokeRestart("muffleWarning")})
stopifnot(lavInspect(default, "converged"), any(grepl("variances are negative", warn)),
          theta_x1(default) < 0)
tight <- suppressWarnings(cfa(model, data = d, optim.method = "BFGS",
                              control = list(reltol = 1e-16, abstol = -Inf, maxit = 10000)))
stopifnot(fitMeasures(tight, "chisq") > fitMeasures(default, "chisq"))
out <- list(source = sprintf("simulated, set.seed(%d), see sim() in generate.R", s), model = model,
  lavaan_warnings = warn,
  cfa = dump_fit(default, construct = FALSE),
  bfgs_chisq = unname(fitMeasures(tight, "chisq")),
  std_tolerance = list(rtol = 5e-6, reason = paste(
    "standardizedSolution() standard errors only (everything else at 1e-6): lavaan's delta",
    "method takes a numerical Jacobian at nlminb's estimates (rel.tol 1e-10), which moves",
    "the std.all SEs of this badly scaled model (x1 on a 1/10 scale, theta_x1 = -0.001) by",
    "up to 1.5e-6 relative")))
writeLines(toJSON(out, auto_unbox = TRUE, digits = NA, pretty = TRUE, na = "null"), "expected.json")
print(sessionInfo())
