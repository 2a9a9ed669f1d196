# Reference values for surveykit.modindices(): lavaan 0.6-14 modindices() (mi, epc,
# sepc.all; expected information, the parameters the model leaves out as lavaan lists them)
# for the PoliticalDemocracy tutorial model and a two-factor CFA (../robust_ml data).
# The fits are polished by Newton steps as in ../political_democracy/generate.R.
# Run from this folder: Rscript generate.R   (R 4.2, lavaan 0.6-14)
suppressMessages({library(lavaan); library(jsonlite)})
d <- read.csv("../political_democracy/input.csv")
r <- read.csv("../robust_ml/input.csv")
src <- readLines("../political_democracy/generate.R")
eval(parse(text = src[grep("^polish <- function", src):(grep("^fm_names <-", src) - 1)]))
model <- "
    ind60 =~ x1 + x2 + x3
    dem60 =~ y1 + a*y2 + b*y3 + c*y4
    dem65 =~ y5 + a*y6 + b*y7 + c*y8
    dem60 ~ a1*ind60
    dem65 ~ c1*ind60 + b1*dem60
    y1 ~~ y5
    y2 ~~ y4 + y6
    y3 ~~ y7
    y4 ~~ y8
    y6 ~~ y8
"
model_cfa <- "f1 =~ y1 + y2 + y3 + y4\nf2 =~ y5 + y6 + y7 + y8"
dump_mi <- function(fit) {
  mi <- modindices(fit)
  list(lhs = mi$lhs, op = mi$op, rhs = mi$rhs, mi = mi$mi, epc = mi$epc,
       sepc_all = mi$sepc.all)
}
out <- list(model = model, model_cfa = model_cfa,
            tolerance = list(rtol = 1e-6, reason = "fits polished to a gradient below 1e-12"))
out$pd <- dump_mi(tight(model, data = d))
out$cfa <- dump_mi(tight(model_cfa, data = r))
out$cfa_stdlv <- dump_mi(tight(model_cfa, data = r, std.lv = TRUE))
writeLines(toJSON(out, auto_unbox = TRUE, digits = NA, pretty = TRUE, na = "null"),
           "expected.json")
print(sessionInfo())
