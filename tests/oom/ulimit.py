#!/usr/bin/python3
"""ulimit.py CLI SOURCE_DIR CORPUS_DIR [sanitized] - converting under
ulimit -v, from far too little address space to just enough (issue 13,
item 11).

Converts a slice of the kremlin corpus (200 of its files, evenly spread)
and the seeds (with their persons.yaml) to tei,yaml,text with -j 1, -j 2
and -j 8, under RLIMIT_AS (what ulimit -v sets) from a limit at which the
program cannot even start to one at which every run succeeds, and checks
oomcheck.py's promises against a run without a limit. The sweep must reach
both ends: some run fails for want of memory, and the largest limit
converts everything with each -j.

Exit 77 (skip) when the corpus is absent or in a sanitizer build. OOM_WORK
keeps the work directory.
"""
import os
import resource
import shutil
import sys
import tempfile
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import oomcheck  # noqa: E402

CLI, SRC, CORPUS = sys.argv[1], sys.argv[2], sys.argv[3]
if "sanitized" in sys.argv[4:]:
    print("skipped: ulimit -v cannot work beside a sanitizer's reserved address space")
    sys.exit(77)
if not os.path.isdir(CORPUS):
    print("skipped: no corpus at %s" % CORPUS)
    sys.exit(77)

FILES = 200
JOBS = (1, 2, 8)
# KiB, as ulimit -v takes them: below what the program's own libraries
# take to map (it cannot start: the loader's status 127), then too little
# for the plugins' libraries (libxml2 maps ICU's 31 MB of data), finely
# where plugins load and the first documents are converted, then coarsely
# up to plenty (each thread's malloc arena reserves 64 MB)
LIMITS = tuple(sorted({4000, 8000, 20000, *range(40000, 56001, 1000), 58000, 60000, 62000, 64000, 70000, 80000, 90000, 100000,
                       110000, 130000, 160000, 200000, 300000, 400000, 1000000, 4000000}))
TIMEOUT = 300
REPEATS = 6

keep = bool(os.environ.get("OOM_WORK"))
work = os.environ["OOM_WORK"] if keep else tempfile.mkdtemp(prefix="oom-ulimit-")
os.makedirs(work, exist_ok=True)


def lay_out_inputs():
    src = os.path.join(work, "input")
    shutil.rmtree(src, ignore_errors=True)
    os.makedirs(os.path.join(src, "kremlin"))
    os.makedirs(os.path.join(src, "seeds"))
    names = sorted(f for f in os.listdir(CORPUS) if f.endswith(".txt"))
    step = max(1, len(names) // FILES)
    for f in names[::step][:FILES]:
        shutil.copy(os.path.join(CORPUS, f), os.path.join(src, "kremlin"))
    seeds = os.path.join(SRC, "seeds")
    for f in sorted(os.listdir(seeds)):
        if f.endswith(".txt") or f == "persons.yaml":
            shutil.copy(os.path.join(seeds, f), os.path.join(src, "seeds"))


def convert(jobs, limit):
    """Runs in a fresh directory; (status, stdout, stderr, files, seconds)."""
    d = os.path.join(work, "run-j%d-%s" % (jobs, limit or "none"))
    shutil.rmtree(d, ignore_errors=True)
    os.makedirs(os.path.join(d, "out"))
    os.symlink(os.path.join(work, "input"), os.path.join(d, "input"))

    def cap():
        if limit:
            resource.setrlimit(resource.RLIMIT_AS, (limit * 1024, limit * 1024))

    argv = [CLI, "-q", "convert", "-j", str(jobs), "-t", "tei,yaml,text", "-O", "out", "input"]
    t0 = time.time()
    rc, out, err = oomcheck.run(argv, d, dict(os.environ), TIMEOUT, preexec=cap)
    files = {os.path.join("out", k): v for k, v in oomcheck.tree(os.path.join(d, "out")).items()}
    return d, rc, out, err, files, time.time() - t0


def main():
    start = time.time()
    lay_out_inputs()
    d, rc, ref_out, err, ref, _ = convert(1, None)
    if rc != 0:
        print("the run without a limit exited %s:\n%s" % (rc, err.decode(errors="replace")))
        return 1
    shutil.rmtree(d)
    failures, runs, ran_out, not_started = [], 0, 0, 0
    print("-j  limit(KiB)  status  seconds  last line")
    # and again where eight workers meet a limit that lets some of their
    # threads start and not others: libxml2 2.9 recursed there until its
    # stack overflowed (about 1 run in 30 at 100,000 KiB)
    plan = [(jobs, limit) for jobs in JOBS for limit in LIMITS]
    plan += [(8, limit) for _ in range(REPEATS) for limit in (80000, 90000, 100000, 110000)]
    for jobs, limit in plan:
        d, rc, out, err, files, secs = convert(jobs, limit)
        runs += 1
        found = oomcheck.problems(rc, out, err, files, ref, ref_out, may_not_start=True)
        text = err.decode(errors="replace").strip().splitlines()
        last = text[-1] if text else ""
        print("%2d  %10d  %6s  %7.2f  %s" % (jobs, limit, rc, secs, last[:110]), flush=True)
        if rc == 1:
            ran_out += 1
        if rc == 127:
            not_started += 1
        if limit == LIMITS[-1] and rc != 0:
            found.append("the largest limit, %d KiB, is not enough" % limit)
        if found:
            failures.append("-j %d, ulimit -v %d (exit %s): %s\n    %s" % (
                jobs, limit, rc, "; ".join(found), "\n    ".join(text[-8:])))
        else:
            shutil.rmtree(d, ignore_errors=True)
    if not ran_out:
        failures.append("no run ran out of memory: the limits are too generous to test anything")
    for f in failures:
        print("FAIL: " + f)
    print("ulimit: %d runs (%d could not start, %d ran out of memory) in %.1f s"
          % (runs, not_started, ran_out, time.time() - start))
    print("%d passed, %d failed" % (runs - len(failures), len(failures)))
    if not failures and not keep:
        shutil.rmtree(work, ignore_errors=True)
    elif failures:
        print("work directory kept: %s" % work)
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
