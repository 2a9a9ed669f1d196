# Reference values for surveykit's careless-response indices, case careless_complete.
# Run from this folder:   Rscript generate.R
# The R calls (and how careless 1.2.1 was obtained) are in ../careless_reference.R.
case_has_na <- FALSE
source("../careless_reference.R")
