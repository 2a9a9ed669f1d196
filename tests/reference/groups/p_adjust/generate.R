# Reference for surveykit.analysis.padjust.p_adjust: R's p.adjust on a few p-value vectors
# (with ties, an NA and n = 1, 2). Run from this folder: Rscript generate.R
suppressMessages(library(jsonlite))
ps <- list(c(0.01, 0.04, 0.03, 0.005, 0.2, 0.04, 0.9, 0.0001),
           c(0.03, 0.01), 0.04, c(0.02, NA, 0.5, 0.01, 0.011))
methods <- c("holm", "hochberg", "hommel", "bonferroni", "BH", "BY", "fdr", "none")
out <- list(cases = lapply(ps, function(p) list(p = p, adjusted = lapply(setNames(methods, methods),
                                                                        function(m) p.adjust(p, m)))))
writeLines(toJSON(out, auto_unbox = FALSE, digits = NA, pretty = TRUE, na = "null"), "expected.json")
print(sessionInfo())
