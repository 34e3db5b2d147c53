#!/usr/bin/env python3
# SPDX-License-Identifier: LGPL-2.1
"""Reference values of userlib/tests/test_research.c.

Computed independently of libmultios_hv and of GSL: Python's statistics
and fractions modules and mpmath (30 significant digits) straight from
the textbook formulas. The distribution functions come from the
regularized incomplete beta function:
  P(T > t) = I_{df/(df+t^2)}(df/2, 1/2) / 2        (t > 0, Student t)
  P(F > f) = I_{d2/(d2+d1 f)}(d2/2, d1/2)           (Fisher F)
  P(Z > z) = erfc(z / sqrt 2) / 2                   (standard normal)
Run: python3 userlib/tests/research_ref.py (needs python3-mpmath).
"""
import statistics
from fractions import Fraction as Fr

import mpmath as mp

mp.mp.dps = 30

# ---- distributions ---------------------------------------------------------


def msqrt(v):
    return mp.sqrt(M(v))


def t_sf(t, df):
    t, df = M(t), M(df)
    tail = mp.betainc(df / 2, mp.mpf(1) / 2, 0, df / (df + t * t),
                      regularized=True) / 2
    return tail if t > 0 else 1 - tail


def t_two(t, df):
    return 2 * t_sf(abs(M(t)), df)


def t_quantile(q, df):
    return mp.findroot(lambda t: (1 - t_sf(t, df)) - q, 2)


def f_sf(f, d1, d2):
    f, d1, d2 = M(f), M(d1), M(d2)
    return mp.betainc(d2 / 2, d1 / 2, 0, d2 / (d2 + d1 * f), regularized=True)


def norm_sf(z):
    return mp.erfc(M(z) / mp.sqrt(2)) / 2


def mean(x):
    return Fr(sum(Fr(v) for v in x)) / len(x)


def var(x):
    m = mean(x)
    return sum((Fr(v) - m) ** 2 for v in x) / (len(x) - 1)


def M(v):
    """An mpf from a Fraction, an int or an mpf."""
    if isinstance(v, Fr):
        return mp.mpf(v.numerator) / v.denominator
    return mp.mpf(v)


def show(name, v):
    print(f"{name:28s} {mp.nstr(M(v), 15)}")


# ---- descriptive -----------------------------------------------------------


def describe(name, x):
    print(f"== describe {name}")
    n = len(x)
    m, s = mean(x), msqrt(var(x))
    show("mean", m)
    show("sd", s)
    show("se", s / msqrt(n))
    h = t_quantile(mp.mpf("0.975"), n - 1) * s / msqrt(n)
    show("t(0.975, n-1)", t_quantile(mp.mpf("0.975"), n - 1))
    show("ci_lo", M(m) - h)
    show("ci_hi", M(m) + h)
    # method="inclusive" is R's type 7, (n - 1) p interpolation
    q = statistics.quantiles([Fr(v) for v in x], n=4, method="inclusive")
    c = statistics.quantiles([Fr(v) for v in x], n=100, method="inclusive")
    show("q1", q[0])
    show("median", q[1])
    show("q3", q[2])
    show("p90", c[89])
    show("p99", c[98])
    iqr = q[2] - q[0]
    lo, hi = q[0] - Fr(3, 2) * iqr, q[2] + Fr(3, 2) * iqr
    print("outliers", [i for i, v in enumerate(x) if Fr(v) < lo or Fr(v) > hi])


# ---- Welch -----------------------------------------------------------------


def welch(name, a, b):
    print(f"== welch {name}")
    na, nb = len(a), len(b)
    sa, sb = var(a) / na, var(b) / nb
    d = mean(a) - mean(b)
    t = M(d) / msqrt(sa + sb)
    df = (sa + sb) ** 2 / (sa ** 2 / (na - 1) + sb ** 2 / (nb - 1))
    show("t", t)
    show("df", df)
    show("p_two", t_two(t, df))
    show("p_less", 1 - t_sf(t, df))
    show("p_greater", t_sf(t, df))
    h = t_quantile(mp.mpf("0.975"), df) * msqrt(sa + sb)
    show("mean_diff", d)
    show("ci_lo", M(d) - h)
    show("ci_hi", M(d) + h)
    pooled = msqrt(((na - 1) * var(a) + (nb - 1) * var(b)) / (na + nb - 2))
    show("cohen_d", M(d) / pooled)


# ---- Mann-Whitney ----------------------------------------------------------


def ranks(v):
    """1-based ranks, ties at their average rank."""
    order = sorted(range(len(v)), key=lambda i: v[i])
    r = [Fr(0)] * len(v)
    i = 0
    while i < len(v):
        j = i
        while j + 1 < len(v) and v[order[j + 1]] == v[order[i]]:
            j += 1
        for k in range(i, j + 1):
            r[order[k]] = Fr(i + 1 + j + 1, 2)
        i = j + 1
    return r


def mwu(name, a, b):
    print(f"== mann-whitney {name}")
    na, nb = len(a), len(b)
    n = na + nb
    r = ranks([Fr(v) for v in a + b])
    u = sum(r[:na]) - Fr(na * (na + 1), 2)
    mu = Fr(na * nb, 2)
    counts = {}
    for v in a + b:
        counts[Fr(v)] = counts.get(Fr(v), 0) + 1
    ties = sum(t ** 3 - t for t in counts.values())
    sigma = msqrt(Fr(na * nb, 12) * ((n + 1) - Fr(ties, n * (n - 1))))
    c = Fr(1, 2) if u > mu else (-Fr(1, 2) if u < mu else 0)
    z = M(u - mu - c) / sigma
    show("u", u)
    show("z", z)
    show("p_two", min(1, 2 * norm_sf(abs(z))))
    show("p_less", 1 - norm_sf(M(u - mu + Fr(1, 2)) / sigma))
    show("p_greater", norm_sf(M(u - mu - Fr(1, 2)) / sigma))


# ---- ANOVA -----------------------------------------------------------------


def anova(name, groups):
    print(f"== anova {name}")
    allv = [v for g in groups for v in g]
    gm = mean(allv)
    ssb = sum(len(g) * (mean(g) - gm) ** 2 for g in groups)
    ssw = sum(sum((Fr(v) - mean(g)) ** 2 for v in g) for g in groups)
    dfb, dfw = len(groups) - 1, len(allv) - len(groups)
    f = (ssb / dfb) / (ssw / dfw)
    show("ss_between", ssb)
    show("ss_within", ssw)
    show("f", f)
    show("p", f_sf(f, dfb, dfw))
    show("eta2", ssb / (ssb + ssw))


# ---- correlation -----------------------------------------------------------


def pearson_r(x, y):
    mx, my = mean(x), mean(y)
    sxy = sum((Fr(a) - mx) * (Fr(b) - my) for a, b in zip(x, y))
    sxx = sum((Fr(a) - mx) ** 2 for a in x)
    syy = sum((Fr(b) - my) ** 2 for b in y)
    return M(sxy) / msqrt(sxx * syy)


def corr(name, x, y):
    print(f"== correlation {name}")
    n = len(x)
    for label, r in (("pearson", pearson_r(x, y)),
                     ("spearman", pearson_r(ranks([Fr(v) for v in x]),
                                            ranks([Fr(v) for v in y])))):
        t = r * mp.sqrt((n - 2) / (1 - r * r))
        show(label + " r", r)
        show(label + " t", t)
        show(label + " p", t_two(t, n - 2))


# ---- regression ------------------------------------------------------------


def solve(a, b):
    """Gauss-Jordan on exact fractions: a^-1 and a^-1 b."""
    k = len(a)
    m = [row[:] + [Fr(int(i == j)) for j in range(k)] for i, row in enumerate(a)]
    for c in range(k):
        p = next(i for i in range(c, k) if m[i][c] != 0)
        m[c], m[p] = m[p], m[c]
        m[c] = [v / m[c][c] for v in m[c]]
        for i in range(k):
            if i != c:
                m[i] = [vi - m[i][c] * vc for vi, vc in zip(m[i], m[c])]
    inv = [row[k:] for row in m]
    return inv, [sum(inv[i][j] * b[j] for j in range(k)) for i in range(k)]


def regress(name, xs, y):
    """xs: one list per predictor."""
    print(f"== regression {name}")
    n, k = len(y), len(xs) + 1
    cols = [[Fr(1)] * n] + [[Fr(v) for v in x] for x in xs]
    yy = [Fr(v) for v in y]
    xtx = [[sum(ci[i] * cj[i] for i in range(n)) for cj in cols] for ci in cols]
    xty = [sum(c[i] * yy[i] for i in range(n)) for c in cols]
    inv, b = solve(xtx, xty)
    fit = [sum(b[j] * cols[j][i] for j in range(k)) for i in range(n)]
    rss = sum((yy[i] - fit[i]) ** 2 for i in range(n))
    tss = sum((v - mean(y)) ** 2 for v in yy)
    s2 = rss / (n - k)
    for j in range(k):
        se = msqrt(s2 * inv[j][j])
        show(f"coef[{j}]", b[j])
        show(f"se[{j}]", se)
        show(f"t[{j}]", M(b[j]) / se)
        show(f"p[{j}]", t_two(M(b[j]) / se, n - k))
    r2 = 1 - rss / tss
    f = ((tss - rss) / (k - 1)) / s2
    show("r2", r2)
    show("adj_r2", 1 - (1 - r2) * Fr(n - 1, n - k))
    show("f", f)
    show("f_p", f_sf(f, k - 1, n - k))
    show("sigma", msqrt(s2))


# ---- Holm ------------------------------------------------------------------


def holm(name, p):
    print(f"== holm {name}")
    m = len(p)
    order = sorted(range(m), key=lambda i: p[i])
    adj, run = [0] * m, Fr(0)
    for rank, i in enumerate(order):
        run = max(run, min(Fr(1), (m - rank) * Fr(p[i])))
        adj[i] = run
    print("adjusted", [str(v) for v in adj])


# ---- the data sets of test_research.c --------------------------------------

# Wikipedia "Standard deviation": population sd 2, sample sd sqrt(32/7)
SD8 = ["2", "4", "4", "4", "5", "5", "7", "9"]
# exit latencies in microseconds with one slow run (an outlier)
LAT = ["12.1", "11.8", "12.4", "12.0", "11.9", "12.3", "12.2", "15.9",
       "12.0", "11.7"]
# Wikipedia "Welch's t-test", examples 1 and 2 (published t = -2.46,
# df = 25.0, p = 0.021 and t = -1.57, df = 9.9, p = 0.149)
W1A = ["27.5", "21.0", "19.0", "23.6", "17.0", "17.9", "16.9", "20.1",
       "21.9", "22.6", "23.1", "19.6", "19.0", "21.7", "21.4"]
W1B = ["27.1", "22.0", "20.8", "23.4", "23.4", "23.5", "25.8", "22.0",
       "24.8", "20.2", "21.9", "22.1", "22.9", "20.5", "24.4"]
W2A = ["17.2", "20.9", "22.6", "18.1", "21.7", "21.4", "23.5", "24.2",
       "14.7", "21.8"]
W2B = ["21.5", "22.8", "21.0", "23.0", "21.6", "23.6", "22.5", "20.7",
       "23.4", "21.8", "20.7", "21.7", "21.5", "22.5", "23.6", "21.5",
       "22.5", "23.5", "21.5", "21.8"]
# Mann-Whitney with ties across the samples (timings rounded to 1 us)
MWA = ["12", "15", "11", "17", "15", "14", "20", "13", "15", "16"]
MWB = ["18", "21", "15", "19", "22", "17", "23", "20", "16", "24", "25"]
# Wikipedia "One-way analysis of variance" example (F = 9.3, SS_b = 84,
# SS_w = 68)
AN1 = ["6", "8", "4", "5", "3", "4"]
AN2 = ["8", "12", "9", "11", "6", "8"]
AN3 = ["13", "9", "11", "8", "7", "12"]
# Anscombe (1973), data set I: r = 0.816, y = 3.00 + 0.500 x, R^2 = 0.67
ANS_X = ["10", "8", "13", "9", "11", "14", "6", "4", "12", "7", "5"]
ANS_Y = ["8.04", "6.95", "7.58", "8.81", "8.33", "9.96", "7.24", "4.26",
         "10.84", "4.82", "5.68"]
# multiple regression: exits against memory touched (MiB) and vCPUs
MR_X1 = ["1", "2", "3", "4", "5", "6", "7", "8", "9", "10"]
MR_X2 = ["1", "2", "1", "2", "4", "1", "2", "4", "1", "2"]
MR_Y = ["5.1", "8.9", "9.8", "13.1", "19.2", "16.0", "19.9", "26.1",
        "22.0", "26.8"]
# Spearman with ties in both variables
SP_X = ["1", "2", "2", "3", "4", "4", "4", "5", "6", "7"]
SP_Y = ["2.0", "1.0", "3.5", "3.5", "5.0", "4.0", "6.0", "6.0", "9.0", "8.0"]
# Wikipedia "Holm-Bonferroni method" example
HOLM = ["0.01", "0.04", "0.03", "0.005"]

if __name__ == "__main__":
    describe("SD8", SD8)
    describe("LAT", LAT)
    welch("W1", W1A, W1B)
    welch("W2", W2A, W2B)
    mwu("MW", MWA, MWB)
    anova("AN", [AN1, AN2, AN3])
    corr("ANS", ANS_X, ANS_Y)
    corr("SP", SP_X, SP_Y)
    regress("ANS", [ANS_X], ANS_Y)
    regress("MR", [MR_X1, MR_X2], MR_Y)
    holm("HOLM", HOLM)
    holm("TIES", ["0.02", "0.02", "0.5", "0.001", "0.9"])
