/* dates.c - the year of a date the narration prints without one ("On
 * December 21, Vladimir Putin will ..."), taken from the document's date:
 * the year that puts it nearest that date, if that is within
 * DATES_NEAR_DAYS. The printed words stay the date's text; the value is
 * marked inferred (cert medium; writers add who inferred it). Only dates
 * of the narration are analysed (inline.c): a speaker's "on June 22" may
 * be 1941. */
#include <stdio.h>
#include <string.h>

#include "analysis.h"

/* Days from 1970-01-01 (H. Hinnant's days_from_civil). */
static long days_from_civil(int y, int m, int d) {
  y -= m <= 2;
  long era = (y >= 0 ? y : y - 399) / 400;
  long yoe = y - era * 400;
  long doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
  long doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
  return era * 146097 + doe - 719468;
}

static int two(const char *s) {
  if (s[0] < '0' || s[0] > '9' || s[1] < '0' || s[1] > '9') return -1;
  return (s[0] - '0') * 10 + (s[1] - '0');
}

static int valid_day(int y, int m, int d) {
  static const int mdays[] = {31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  if (m < 1 || m > 12 || d < 1 || d > mdays[m - 1]) return 0;
  int leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
  return !(m == 2 && d == 29 && !leap);
}

/* "--MM-DD" with the year of `base` (days since the epoch) nearest it: the
 * year, or 0 when none is within DATES_NEAR_DAYS. */
static int nearest_year(int by, long base, int m, int d) {
  int best = 0;
  long best_diff = DATES_NEAR_DAYS + 1;
  for (int y = by - 1; y <= by + 1; y++) {
    if (!valid_day(y, m, d)) continue;
    long diff = days_from_civil(y, m, d) - base;
    if (diff < 0) diff = -diff;
    if (diff < best_diff) best = y, best_diff = diff;
  }
  return best;
}

/* One partial value ("--MM-DD", 7 bytes) with its year: out gets
 * "YYYY-MM-DD". 0 when no year is near. */
static int with_year(const char *p, int by, long base, char out[11]) {
  int m = two(p + 2), d = two(p + 5);
  if (m < 0 || d < 0) return 0;
  int y = nearest_year(by, base, m, d);
  if (!y) return 0;
  snprintf(out, 11, "%04u-%02u-%02u", (unsigned)y % 10000u, (unsigned)m % 100u,
           (unsigned)d % 100u);
  return 1;
}

int dates_infer_years(analysis *r) {
  scr_str dd = scr_doc_meta(r->doc, SCR_META_DATE);
  if (dd.len != 10 || dd.ptr[4] != '-' || dd.ptr[7] != '-') return 0;
  int by = 0;
  for (int k = 0; k < 4; k++) {
    if (dd.ptr[k] < '0' || dd.ptr[k] > '9') return 0;
    by = by * 10 + (dd.ptr[k] - '0');
  }
  int bm = two(dd.ptr + 5), bd = two(dd.ptr + 8);
  if (bm < 0 || bd < 0 || !valid_day(by, bm, bd)) return 0;
  long base = days_from_civil(by, bm, bd);
  for (size_t i = 0; i < r->dates.len; i++) {
    scr_node *n = r->dates.v[i];
    scr_str w = scr_node_attr(n, SCR_ATTR_WHEN);
    char v[32];
    if (w.len == 7 && w.ptr[0] == '-' && w.ptr[1] == '-') {
      if (!with_year(w.ptr, by, base, v)) continue;
    } else if (w.len == 15 && w.ptr[0] == '-' && w.ptr[7] == '/' && w.ptr[8] == '-') {
      /* a range in one month ("December 6-9"): both ends in one year */
      if (!with_year(w.ptr, by, base, v) || !with_year(w.ptr + 8, by, base, v + 11)) continue;
      if (memcmp(v, v + 11, 4) != 0) continue;
      v[10] = '/';
    } else {
      continue;
    }
    if (an_set_attr(r, n, SCR_ATTR_WHEN, v, strlen(v)) ||
        an_set_attr(r, n, SCR_ATTR_CERT, SCR_CERT_MEDIUM, strlen(SCR_CERT_MEDIUM)))
      return -1;
  }
  return 0;
}
