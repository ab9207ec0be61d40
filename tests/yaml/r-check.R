# r-check.R FILE... - what an analyst sees loading the YAML edition with R's
# yaml package (Debian r-cran-yaml, YAML 1.1 rules): every value a string
# but the counts (count, n, total), which are numbers; no NA (R reads a
# plain "." as NaN, and warns "NAs introduced by coercion"); no logical
# (a plain y/n/yes/no/on/off, value or key, is TRUE or FALSE); no key
# turned into TRUE/FALSE; every quote with its plain text. Prints each
# problem and exits 1 if there is one.
library(yaml)
counts <- c("count", "n", "total")
problems <- 0
report <- function(file, what) {
  cat(sprintf("%s: %s\n", file, what))
  problems <<- problems + 1
}
check <- function(file, v, key, path) {
  if (is.list(v)) {
    nm <- names(v)
    if (!is.null(nm)) {
      bad <- nm[nm %in% c("TRUE", "FALSE") | is.na(nm)]
      for (b in bad) report(file, sprintf("%s: a key read as %s", path, b))
      if (identical(v[["type"]], "quote") && !is.character(v[["plain"]]))
        report(file, sprintf("%s: a quote without its plain text", path))
    }
    for (i in seq_along(v)) {
      k <- if (is.null(nm)) key else nm[i]
      check(file, v[[i]], k, sprintf("%s/%s", path, if (is.null(nm)) i - 1 else nm[i]))
    }
    return(invisible())
  }
  if (is.null(v)) return(invisible())
  if (any(is.na(v))) report(file, sprintf("%s: NA", path))
  if (key %in% counts) {
    if (!is.numeric(v)) report(file, sprintf("%s: a count read as %s, not a number", path, class(v)[1]))
  } else if (!is.character(v)) {
    report(file, sprintf("%s: read as %s (%s), not a string", path, class(v)[1],
                         paste(format(v), collapse = " ")))
  }
}
files <- commandArgs(trailingOnly = TRUE)
quotes <- 0
for (f in files) {
  x <- withCallingHandlers(
    yaml::read_yaml(f),
    warning = function(w) {
      report(f, paste("warning:", conditionMessage(w)))
      invokeRestart("muffleWarning")
    })
  check(f, x, "", "")
  quotes <- quotes + length(grep("^ *- type: quote$|^ *type: quote$", readLines(f, warn = FALSE)))
}
cat(sprintf("r-yaml: %d files (%d quotes), %d problems\n", length(files), quotes, problems))
if (problems > 0 || length(files) == 0) quit(status = 1)
