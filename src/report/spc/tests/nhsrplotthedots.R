# Runs NHSRplotthedots 0.2.2's own R source, unmodified, on the series of dtoc's SPC tests and on
# random ones, and writes each series with the package's point types (C common cause, I improvement,
# X concern), last mean and last upper limit: the fixture nhsrplotthedots-0.2.2.txt beside this file.
#
#   git -C NHSRplotthedots archive 0.2.2 R | tar -x -C /tmp/ptd    # the package's R/ at tag 0.2.2
#   Rscript nhsrplotthedots.R /tmp/ptd/R > nhsrplotthedots-0.2.2.txt
#
# Needs R with dplyr, stringr, assertthat, rlang (Debian: r-base-core r-cran-dplyr r-cran-stringr
# r-cran-assertthat). Debian 12's dplyr 1.0.10 lacks case_when's `.default` (dplyr 1.1), so
# case_when is wrapped to read `.default = x` as `TRUE ~ x`; geom_ptd_icon.R (ggplot2) is not
# loaded: the variation icon is the last point's type (ptd_get_icons).
suppressPackageStartupMessages({library(dplyr); library(rlang)})
orig_cw <- dplyr::case_when
shim <- function(..., .default = NULL) {
  if (is.null(.default)) orig_cw(...) else orig_cw(..., TRUE ~ .default)
}
utils::assignInNamespace("case_when", shim, "dplyr")
dir <- commandArgs(trailingOnly = TRUE)[1]
for (f in setdiff(list.files(dir, full.names = TRUE), file.path(dir, "geom_ptd_icon.R"))) source(f)
num <- function(v) sapply(v, function(x) {
  s <- sprintf("%.15g", x)
  if (as.numeric(s) == x) s else sprintf("%.17g", x)
})
run <- function(name, y, target = NULL, start = as.Date("2016-04-01"), screen = TRUE, fix = NULL,
                rebase_idx = NULL) {
  d <- data.frame(x = seq(start, by = "month", length.out = length(y)), y = y)
  rebase <- if (is.null(rebase_idx)) NULL else ptd_rebase(d$x[rebase_idx + 1])
  s <- suppressWarnings(ptd_spc(d, value_field = "y", date_field = "x",
    improvement_direction = "decrease", screen_outliers = screen, fix_after_n_points = fix,
    rebase = rebase))
  df <- as.data.frame(s)
  code <- c(common_cause = "C", special_cause_improvement = "I",
            special_cause_concern = "X")[df$point_type]
  cat(paste(name, as.integer(screen), if (is.null(fix)) 0 else fix,
    paste(rebase_idx, collapse = ","), paste(num(y), collapse = ","), paste(code, collapse = ""),
    sprintf("%.17g", df$mean_col[nrow(df)]), sprintf("%.17g", df$upl[nrow(df)]), sep = ";"), "\n", sep = "")
}
alt <- function(n, high_first = FALSE) sapply(0:(n - 1), function(i) if ((i %% 2 == 0) == high_first) 11 else 9)
counts <- matrix(c(19,31,538900, 84,28,538900, 506,31,538900, 1393,30,538900, 1517,31,538900, 1739,30,538900, 1556,31,538900, 1611,31,538900, 1431,30,538900, 1876,31,538900, 1311,30,538900, 1494,31,538900, 1447,31,543600, 1445,28,543600, 1214,31,543600, 985,30,543600, 796,31,543600, 899,30,543600, 978,31,543600), ncol = 3, byrow = TRUE)
lv <- counts[,1] / counts[,2] / counts[,3] * 100000
run("trend from beyond 2", c(alt(20), 3, 8, 8.5, 9, 9.5, 10, 10.5))
run("limits", c(10,12,11,13,12))
for (n in c(2,3,12,24)) run(paste("alt", n), alt(n))
run("issue17", c(10,12,10,12,10,12,10,12,8,9,10,11,12,13,10,12))
run("beyond 30", c(alt(20), 30))
run("beyond low", c(alt(20) + 20, 10))
run("beyond 15", c(alt(20), 15))
run("on limit", c(alt(12), 10 + 2.66 * 2, 11, 10 + 2.66 * 2), fix = 12)
sp <- c(rep(c(8,12),5), 32, rep(c(8,12),5), 20, 13, 20)
run("spike screened", sp)
run("spike raw", sp, screen = FALSE)
run("past", c(alt(10), 30, alt(10)))
run("shift a", c(alt(10), 10.5, 11.5, 10.5, 11.5, 10.5, 11.5, 10.5))
run("shift b", c(alt(10, TRUE), 10.5, 11.5, 10.5, 11.5, 10.5, 11.5))
run("shift c", c(alt(10, TRUE), 9.5, 8.5, 9.5, 8.5, 9.5, 8.5, 9.5))
run("shift d", c(12,12,12,11,12,12,12,5))
run("trend a", c(alt(10), 9.0, 9.2, 9.4, 9.6, 9.8, 10.0, 10.2))
run("trend b", c(alt(10), 9.0, 9.2, 9.4, 9.6, 9.8, 10.0))
run("trend c", c(alt(10, TRUE), 11.0, 10.8, 10.6, 10.4, 10.2, 10.0, 9.8))
run("trend d", c(alt(10), 9.0, 9.2, 9.4, 9.4, 9.6, 9.8, 10.0))
run("2in3 a", c(alt(24), 15, 11, 15))
run("2in3 b", c(alt(24), 15, 10, 15))
run("2in3 c", c(alt(24), 5, 9, 5))
run("2in3 d", c(alt(24), 15, 10, 5))
run("2in3 e", c(alt(24), 15, 10, 10, 15))
run("beyond2in3 a", c(alt(24), 15, 30, 11))
run("beyond2in3 b", c(alt(24), 15, 30, 15))
run("precedence", c(rep(c(8,12),6), 10.5, 11.0, 11.5, 12.0, 12.5, 13.0, 25.0))
run("baseline fixed", c(alt(12), rep(13, 12)), fix = 12)
run("baseline none", c(alt(12), rep(13, 12)))
run("one to 14", 1:14)
run("one to 14 rebased", 1:14, rebase_idx = c(4, 10))
run("leics screened", lv, start = as.Date("2017-01-01"))
run("leics raw", lv, start = as.Date("2017-01-01"), screen = FALSE)
run("zero to six", 0:6)
run("zero three", rep(c(0,3),6))
run("alt12 target 20", alt(12))
run("issue a from 2016-01", c(12,18,12,18,12,18,12,18,12,18,12,18,12,6,7,8,9,10,11,12))
run("issue b", c(rep(c(8,14),6),8,19,18,17,16,15,14,13))
run("rising below", c(alt(12), 9.0, 9.1, 9.2, 9.3, 9.4, 9.5, 9.6))
run("falling above", c(alt(12), 11.0, 10.9, 10.8, 10.7, 10.6, 10.5, 10.4))
run("trend from beyond", c(alt(20), 2, 4, 5, 6, 7, 8, 9))
run("tie between rises", c(alt(12), 9.0, 9.2, 9.4, 9.6, 9.8, 10.0, 10.2, 10.2, 10.4, 10.6, 10.8, 11.0, 11.2, 11.4))
run("peak shared", c(alt(12), 9.0, 9.2, 9.4, 9.6, 9.8, 10.0, 10.2, 10.0, 9.8, 9.6, 9.4, 9.2, 9.0))
set.seed(24)
for (k in 1:120) {
  n <- sample(8:40, 1)
  kind <- k %% 4
  y <- if (kind == 0) round(cumsum(rnorm(n)), 0) else if (kind == 1) round(rnorm(n, 10, 2), 1) else
    if (kind == 2) sample(1:6, n, replace = TRUE) else
    round(10 + (1:n) * 0.3 * sample(c(-1, 1), 1) + rnorm(n, 0, 0.8), 1)
  run(paste0("random ", k), y, screen = (k %% 5 != 0))
}
