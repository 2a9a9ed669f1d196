# lavTestScore(fit)$uni with each constraint named by the parameter it releases
# (the right-hand plabel: the copy in the later group).
score_table <- function(fit) {
  st <- lavTestScore(fit)$uni
  pt <- parTable(fit)
  i <- match(st$rhs, pt$plabel)
  list(lhs = pt$lhs[i], op = pt$op[i], rhs = pt$rhs[i], group = pt$group[i],
       X2 = st$X2, df = st$df, p = st$p.value)
}
