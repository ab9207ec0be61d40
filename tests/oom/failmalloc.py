#!/usr/bin/python3
"""failmalloc.py CLI SHIM SOURCE_DIR [sanitized] - every allocation failure
ends well (issue 13, item 11).

Runs `scriptorium` with tests/oom/failmalloc.so preloaded, the N-th
allocation failing, for every N from 1 to the number of allocations a run
without failures makes (counted by the shim), or, where that count is
larger than the case's budget, for every N up to the budget and then a
spread of N over the rest. A sample of N also runs with every allocation
from N on failing (FAILMALLOC_MODE=after: memory gone for good). The
promises each run must keep are oomcheck.py's.

The cases: a seed to tei,yaml,text with -j 1 (with its persons.yaml); the
same again over its outputs and manifest (up to date); two seeds with -j 2
(threads, a corpus file); reading a TEI and a YAML input; validating a TEI
and a YAML file, and an invalid TEI file (which must never pass).

Allocation counts vary a little from run to run (libxml2 seeds its hash
tables at random), so which allocation the N-th is may vary too.

Environment: OOM_SCALE (multiplies every budget, default 1), OOM_JOBS
(parallel runs, default the cores), OOM_ONLY (one case), OOM_WORK (a
directory to work in and keep, with every failed run's files). Exit 77
(skip) in a sanitizer build or when the shim cannot be preloaded.
"""
import collections
import concurrent.futures
import os
import shutil
import sys
import tempfile
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import oomcheck  # noqa: E402

CLI, SHIM, SRC = sys.argv[1], sys.argv[2], sys.argv[3]
SEEDS = os.path.join(SRC, "seeds")
SCALE = float(os.environ.get("OOM_SCALE", "1"))
JOBS = int(os.environ.get("OOM_JOBS", str(os.cpu_count() or 2)))
ONLY = os.environ.get("OOM_ONLY")
TIMEOUT = 30
AFTER = 40  # runs with memory gone for good, per case

if "sanitized" in sys.argv[4:]:
    print("skipped: a sanitizer must be the first allocator loaded")
    sys.exit(77)
keep = bool(os.environ.get("OOM_WORK"))
work = os.environ["OOM_WORK"] if keep else tempfile.mkdtemp(prefix="oom-failmalloc-")
os.makedirs(work, exist_ok=True)
seed_a = os.path.join(SEEDS, "003_f39709ca279a179f.txt")
seed_b = os.path.join(SEEDS, "004_0f8c7264c0e5ff39.txt")
invalid_tei = os.path.join(SRC, "tests", "tei", "invalid", "who-not-a-pointer.xml")

base_env = {k: v for k, v in os.environ.items()
            if not k.startswith("FAILMALLOC_") and k != "LD_PRELOAD"}
base_env["LD_PRELOAD"] = SHIM


def run(argv, cwd, n=None, mode="once", count_file=None):
    env = dict(base_env)
    if n is not None:
        env["FAILMALLOC_N"] = str(n)
        env["FAILMALLOC_MODE"] = mode
    if count_file:
        env["FAILMALLOC_COUNT"] = count_file
    return oomcheck.run(argv, cwd, env, TIMEOUT)


class Case:
    """One command: setup(dir) lays out a fresh directory and returns the
    argv; `budget`: every N up to it, then `spread` more."""

    def __init__(self, name, setup, budget, spread=150, expect_fail=False):
        self.name, self.setup, self.expect_fail = name, setup, expect_fail
        self.budget, self.spread = int(budget * SCALE), int(spread * SCALE)

    def prepare(self):
        d = os.path.join(work, self.name, "ref")
        shutil.rmtree(d, ignore_errors=True)
        os.makedirs(d)
        argv = self.setup(d)
        cnt = os.path.join(work, self.name, "count")
        rc, out, err = run(argv, d, count_file=cnt)
        want = 1 if self.expect_fail else 0
        if rc != want:
            raise SystemExit("%s: the run without failures exited %s, not %d:\n%s"
                             % (self.name, rc, want, err.decode(errors="replace")))
        self.ref, self.ref_stdout = oomcheck.tree(d), out
        with open(cnt) as fh:
            self.count = int(fh.read())

    def plan(self):
        ns = list(range(1, min(self.count, self.budget) + 1))
        if self.count > self.budget and self.spread:
            step = (self.count - self.budget) / self.spread
            ns += sorted({self.budget + 1 + int(i * step) for i in range(self.spread)})
        return [(n, "once") for n in ns] + \
               [(n, "after") for n in ns[::max(1, len(ns) // AFTER)]]

    def check(self, n, mode):
        d = os.path.join(work, self.name, "%s-%d" % (mode, n))
        shutil.rmtree(d, ignore_errors=True)
        os.makedirs(d)
        argv = self.setup(d)
        rc, out, err = run(argv, d, n, mode)
        found = oomcheck.problems(rc, out, err, oomcheck.tree(d), self.ref, self.ref_stdout,
                                  self.expect_fail)
        if not found:
            shutil.rmtree(d, ignore_errors=True)
            return None
        # again, with a backtrace if it crashed (the N-th may differ a little)
        if rc == "hang" or rc < 0:
            env = dict(base_env, FAILMALLOC_N=str(n), FAILMALLOC_MODE=mode,
                       FAILMALLOC_BACKTRACE="1")
            shutil.rmtree(d, ignore_errors=True)
            os.makedirs(d)
            _, _, err2 = oomcheck.run(self.setup(d), d, env, TIMEOUT)
            err += b"\n" + err2
        text = err.decode(errors="replace").strip().splitlines()
        return "%s N=%d %s (exit %s): %s\n    %s" % (
            self.name, n, mode, rc, "; ".join(found), "\n    ".join(text[-12:]))


def copy_in(d, *paths):
    for p in paths:
        shutil.copy(p, d)
    os.makedirs(os.path.join(d, "out"), exist_ok=True)


def convert_one(d):
    copy_in(d, seed_a, os.path.join(SEEDS, "persons.yaml"))
    return [CLI, "-q", "convert", "-j", "1", "-t", "tei,yaml,text", "-O", "out",
            os.path.basename(seed_a)]


def convert_again(d):
    """Over the outputs and manifest of a run without failures."""
    argv = convert_one(d)
    src = os.path.join(work, "convert", "ref", "out")
    for f in os.listdir(src):
        shutil.copy(os.path.join(src, f), os.path.join(d, "out"))
    return argv


def convert_two(d):
    copy_in(d, seed_a, seed_b, os.path.join(SEEDS, "persons.yaml"))
    return [CLI, "-q", "convert", "-j", "2", "-t", "tei,yaml,text", "-O", "out",
            os.path.basename(seed_a), os.path.basename(seed_b)]


def ref_output(d, name):
    """A copy of an output of the first case, as an input."""
    shutil.copy(os.path.join(work, "convert", "ref", "out", name), d)
    return name


def read_tei(d):
    return [CLI, "-q", "convert", "-t", "yaml", "-o", "out.yaml",
            ref_output(d, "003_f39709ca279a179f.xml")]


def read_yaml(d):
    return [CLI, "-q", "convert", "-t", "tei", "-o", "out.xml",
            ref_output(d, "003_f39709ca279a179f.yaml")]


def validate_tei(d):
    return [CLI, "validate", ref_output(d, "003_f39709ca279a179f.xml")]


def validate_yaml(d):
    return [CLI, "validate", ref_output(d, "003_f39709ca279a179f.yaml")]


def validate_invalid(d):
    shutil.copy(invalid_tei, d)
    return [CLI, "validate", os.path.basename(invalid_tei)]


# Budgets for under a minute on two cores: every allocation of the main
# conversion and of reading TEI; the others densely where plugins load,
# options and inputs are set up and the work starts, then spread.
cases = [Case("convert", convert_one, 4000),
         Case("convert-again", convert_again, 600),
         Case("convert-j2", convert_two, 700, 200),
         Case("read-tei", read_tei, 2000),
         Case("read-yaml", read_yaml, 400),
         Case("validate-tei", validate_tei, 300),
         Case("validate-yaml", validate_yaml, 300),
         Case("validate-invalid", validate_invalid, 200, 100, expect_fail=True)]


def main():
    probe = oomcheck.run(["/bin/true"], work, dict(base_env), TIMEOUT)
    if probe[0] != 0:
        print("cannot preload %s: %s" % (SHIM, probe[2].decode(errors="replace")))
        return 77
    start = time.time()
    failures, total = [], 0
    for c in cases:
        c.prepare()
    with concurrent.futures.ThreadPoolExecutor(JOBS) as pool:
        for c in cases:
            if ONLY and c.name != ONLY:
                continue
            plan = c.plan()
            t0 = time.time()
            bad = [r for r in pool.map(lambda nm: c.check(*nm), plan) if r]
            total += len(plan)
            print("%-16s %5d allocations, %5d runs (%d with none left), %d failed, %.1f s"
                  % (c.name, c.count, len(plan), sum(m == "after" for _, m in plan),
                     len(bad), time.time() - t0), flush=True)
            failures += bad
    # one example of each kind of failure, and how many there were like it
    kinds = collections.OrderedDict()
    for f in failures:
        head = f.split("\n")[0]
        kinds.setdefault((head.split(" ", 1)[0], head.split("): ", 1)[1]), []).append(f)
    for (case, _), fs in kinds.items():
        print("FAIL: " + fs[0])
        if len(fs) > 1:
            print("    (and %d more like it in %s)" % (len(fs) - 1, case))
    print("failmalloc: %d runs in %.1f s" % (total, time.time() - start))
    print("%d passed, %d failed" % (total - len(failures), len(failures)))
    if not failures and not keep:
        shutil.rmtree(work, ignore_errors=True)
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
