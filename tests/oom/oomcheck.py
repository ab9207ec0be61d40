"""oomcheck.py - what a run of scriptorium that ran out of memory must
promise, shared by failmalloc.py and ulimit.py:

* it ended by itself (no hang) and by exit (no signal), with status 0 or 1
  (or, under ulimit, 127 with the dynamic loader's own message when the
  program could not even start: that is before main, and then it wrote
  nothing);
* with status 1 it said why on standard error (a line with ': error: '),
  and no plugin failed without saying why;
* it left no temporary file (*.tmp-*);
* a journal is left only by a run that failed (exit 1): when the manifest
  itself could not be rewritten, and then it holds whole lines;
* every output that exists is complete: byte-identical to a run without
  the limit; a manifest, which records failures, has one whole line per
  input (same path and key as the reference), and a corpus file, which
  leaves out its failed members, is well-formed XML;
* with status 0 every output is there and identical, and so is standard
  output.
"""
import os
import subprocess
import xml.etree.ElementTree as ET

LOADER_FAILED = "error while loading shared libraries"


def tree(d):
    """Every file under d, relative, with its bytes."""
    out = {}
    for root, _, files in os.walk(d):
        for f in files:
            p = os.path.join(root, f)
            with open(p, "rb") as fh:
                out[os.path.relpath(p, d)] = fh.read()
    return out


def run(argv, cwd, env, timeout, preexec=None):
    """(status, stdout, stderr); status is -SIG for a signal, "hang"."""
    try:
        p = subprocess.run(argv, cwd=cwd, env=env, stdout=subprocess.PIPE,
                           stderr=subprocess.PIPE, timeout=timeout, preexec_fn=preexec)
        return p.returncode, p.stdout, p.stderr
    except subprocess.TimeoutExpired:
        return "hang", b"", b""


def incomplete(rel, data, ref, rc):
    """Why an output that differs from the reference is not a complete
    file, or None when it is: the manifest or corpus of a run that failed,
    or a manifest that says 'ok' where the reference says 'unchanged' (the
    up-to-date check ran out of memory, so the input was converted again,
    to the same bytes)."""
    name = os.path.basename(rel)
    if name.startswith("manifest"):
        lines = data.decode(errors="replace").split("\n")
        ref_lines = ref.decode().split("\n")
        if lines[-1] != "" or len(lines) != len(ref_lines) or lines[0] != ref_lines[0]:
            return "manifest incomplete"
        for a, b in zip(lines[1:-1], ref_lines[1:-1]):
            fa, fb = a.split("\t"), b.split("\t")
            if len(fa) != 9 or fa[0] != fb[0] or fa[6] != fb[6]:
                return "manifest line incomplete: %r" % a
            if rc == 0 and a != b and not (fb[3] == "unchanged" and fa[3] == "ok" and
                                           fa[:3] + fa[4:] == fb[:3] + fb[4:]):
                return "manifest line differs: %r" % a
        return None
    if rc != 1:
        return "differs from the run without a limit"
    if name.startswith("corpus") and name.endswith(".xml"):
        try:
            ET.fromstring(data)
        except ET.ParseError as e:
            return "corpus not well-formed: %s" % e
        return None
    return "differs from the run without a limit (incomplete)"


def journal_incomplete(data):
    """Why the journal a failed run kept (its manifest could not be
    rewritten) is not whole lines, or None."""
    text = data.decode(errors="replace")
    if text and not text.endswith("\n"):
        return "journal ends inside a line"
    for line in text.split("\n")[1:-1]:
        if len(line.split("\t")) != 9:
            return "journal line incomplete: %r" % line
    return None


def problems(rc, out, err, files, ref, ref_stdout, expect_fail=False, may_not_start=False):
    """What the run broke of the promises above (a list of strings)."""
    found = []
    text = err.decode(errors="replace")
    if rc == "hang":
        found.append("did not end in time")
    elif rc < 0:
        found.append("killed by signal %d" % -rc)
    elif rc == 127 and may_not_start and LOADER_FAILED in text:
        pass  # the loader could not map the program's libraries: before main
    elif rc not in (0, 1):
        found.append("exit status %d" % rc)
    elif rc == 1 and ": error: " not in text:
        found.append("exit status 1 without an error message")
    if "without saying why" in text:
        found.append("a plugin failed without reporting why (out of memory unsaid)")
    elif rc == 0 and expect_fail:
        found.append("an invalid file passed")
    for rel, data in sorted(files.items()):
        if ".tmp-" in rel:
            found.append("temporary file left: " + rel)
        elif rel.endswith("manifest.tsv.journal") and rc == 1:
            why = journal_incomplete(data)
            if why:
                found.append("%s: %s" % (rel, why))
        elif rel not in ref:
            found.append("unexpected file: " + rel)
        elif data != ref[rel]:
            why = incomplete(rel, data, ref[rel], rc)
            if why:
                found.append("%s: %s" % (rel, why))
    if rc == 0:
        for rel in ref:
            if rel not in files:
                found.append("exit 0 but %s is missing" % rel)
        if out != ref_stdout:
            found.append("exit 0 but standard output differs")
    return found
