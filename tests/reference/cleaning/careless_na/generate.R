# Reference values for surveykit's careless-response indices, case careless_na.
# Run from this folder:   Rscript generate.R
# The R calls (and how careless 1.2.1 was obtained) are in ../careless_reference.R.
case_has_na <- TRUE
source("../careless_reference.R")
