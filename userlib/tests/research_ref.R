# SPDX-License-Identifier: LGPL-2.1
# A second, independent source of the reference values of
# test_research.c: R's own functions on the data sets of research_ref.py
# (which computes them from the formulas). Run: Rscript research_ref.R
# (Debian: r-base-core). Both must agree to the digits the test checks.
options(digits = 15)
SD8 <- c(2, 4, 4, 4, 5, 5, 7, 9)
LAT <- c(12.1, 11.8, 12.4, 12.0, 11.9, 12.3, 12.2, 15.9, 12.0, 11.7)
W1A <- c(27.5, 21.0, 19.0, 23.6, 17.0, 17.9, 16.9, 20.1, 21.9, 22.6, 23.1,
	 19.6, 19.0, 21.7, 21.4)
W1B <- c(27.1, 22.0, 20.8, 23.4, 23.4, 23.5, 25.8, 22.0, 24.8, 20.2, 21.9,
	 22.1, 22.9, 20.5, 24.4)
W2A <- c(17.2, 20.9, 22.6, 18.1, 21.7, 21.4, 23.5, 24.2, 14.7, 21.8)
W2B <- c(21.5, 22.8, 21.0, 23.0, 21.6, 23.6, 22.5, 20.7, 23.4, 21.8, 20.7,
	 21.7, 21.5, 22.5, 23.6, 21.5, 22.5, 23.5, 21.5, 21.8)
MWA <- c(12, 15, 11, 17, 15, 14, 20, 13, 15, 16)
MWB <- c(18, 21, 15, 19, 22, 17, 23, 20, 16, 24, 25)
AN <- list(c(6, 8, 4, 5, 3, 4), c(8, 12, 9, 11, 6, 8), c(13, 9, 11, 8, 7, 12))
ANS_X <- c(10, 8, 13, 9, 11, 14, 6, 4, 12, 7, 5)
ANS_Y <- c(8.04, 6.95, 7.58, 8.81, 8.33, 9.96, 7.24, 4.26, 10.84, 4.82, 5.68)
MR_X1 <- 1:10
MR_X2 <- c(1, 2, 1, 2, 4, 1, 2, 4, 1, 2)
MR_Y <- c(5.1, 8.9, 9.8, 13.1, 19.2, 16.0, 19.9, 26.1, 22.0, 26.8)
SP_X <- c(1, 2, 2, 3, 4, 4, 4, 5, 6, 7)
SP_Y <- c(2.0, 1.0, 3.5, 3.5, 5.0, 4.0, 6.0, 6.0, 9.0, 8.0)

for (x in list(SD8, LAT)) {
	print(c(mean(x), sd(x), t.test(x)$conf.int))
	print(quantile(x, c(0.25, 0.5, 0.75, 0.9, 0.99), type = 7))
	# Tukey fences on the type-7 quartiles (boxplot.stats uses hinges)
	q <- quantile(x, c(0.25, 0.75), type = 7)
	print(which(x < q[1] - 1.5 * diff(q) | x > q[2] + 1.5 * diff(q)))
}
for (p in list(list(W1A, W1B), list(W2A, W2B))) {
	two <- t.test(p[[1]], p[[2]])
	print(c(two$statistic, two$parameter, two$p.value, two$conf.int,
		t.test(p[[1]], p[[2]], alternative = "less")$p.value,
		t.test(p[[1]], p[[2]], alternative = "greater")$p.value))
}
for (alt in c("two.sided", "less", "greater"))
	print(unlist(wilcox.test(MWA, MWB, exact = FALSE, correct = TRUE,
				 alternative = alt)[c("statistic", "p.value")]))
print(summary(aov(v ~ g, data.frame(v = unlist(AN),
				    g = factor(rep(1:3, each = 6))))))
print(oneway.test(v ~ g, data.frame(v = unlist(AN), g = factor(rep(1:3, each = 6))),
		  var.equal = TRUE)$p.value)
for (p in list(list(ANS_X, ANS_Y), list(SP_X, SP_Y)))
	for (m in c("pearson", "spearman")) {
		ct <- suppressWarnings(cor.test(p[[1]], p[[2]], method = m,
						exact = FALSE))
		print(c(ct$estimate, ct$p.value))
	}
for (fit in list(lm(ANS_Y ~ ANS_X), lm(MR_Y ~ MR_X1 + MR_X2))) {
	s <- summary(fit)
	print(coef(s))
	print(c(s$r.squared, s$adj.r.squared, s$fstatistic, s$sigma,
		pf(s$fstatistic[1], s$fstatistic[2], s$fstatistic[3],
		   lower.tail = FALSE)))
}
print(p.adjust(c(0.01, 0.04, 0.03, 0.005), method = "holm"))
print(p.adjust(c(0.02, 0.02, 0.5, 0.001, 0.9), method = "holm"))
