set.seed(20261203)
n <- 400
x <- rnorm(n); w <- rnorm(n, 3, 1); c1 <- rbinom(n, 1, 0.4)
m1 <- 0.4 * x + 0.2 * w + 0.15 * x * (w - 3) + 0.3 * c1 + rnorm(n)
m2 <- 0.3 * x + 0.25 * m1 + rnorm(n)
y <- 0.2 * x + 0.35 * m1 + 0.3 * m2 + 0.1 * c1 + rnorm(n)
d <- data.frame(x = round(x, 4), m1 = round(m1, 4), m2 = round(m2, 4), w = round(w, 4), c1 = c1, y = round(y, 4))
write.csv(d, "input.csv", row.names = FALSE)
