#!/usr/bin/python3
"""yamlcheck.py - the reference side of the YAML edition's tests.

  yamlcheck.py verdicts SCHEMA FILE...
      Prints "FILE valid" or "FILE invalid" for each FILE, judged by the
      reference: Python's yaml.safe_load and Python's jsonschema (Draft
      2020-12), plus the rules of docs/yaml.md that a schema cannot express,
      written here independently of the C validator: no aliases, no merge
      keys, no duplicate keys, collections nested at most 128 deep, unique
      person and node ids, every who names a person, every next/prev a node.

  yamlcheck.py roundtrip YAML SOURCE DIPLOMATIC
      Loads YAML with Python's yaml and rebuilds the source from it by the
      losslessness contract: it must equal SOURCE byte for byte, and so must
      DIPLOMATIC. Its text without layout, split into words, must equal the
      diplomatic edition's words (less a byte order mark and the figure
      counters that docs/tree.md keeps in layout).

  yamlcheck.py compare CLI SCHEMA FILE...
      Runs `CLI validate -f yaml` on each FILE and compares its verdict with
      the reference's. Fails on any difference.

  yamlcheck.py expect valid|invalid CLI SCHEMA FILE...
      Both validators must find every FILE valid (or invalid).

  yamlcheck.py check CLI SCHEMA OUT_DIR SOURCE...
      The same checks as corpus, on the SOURCE files given.

  yamlcheck.py corpus CLI SCHEMA CORPUS_DIR OUT_DIR EVERY
      Converts every EVERY-th corpus file (sorted) to YAML and to the
      diplomatic text edition, then checks each YAML file: it loads, the
      reference finds it valid, the C validator agrees, and it round-trips.
"""
import json
import os
import shutil
import subprocess
import sys

import jsonschema
import yaml

MAX_DEPTH = 128
BLOCKS = {"title", "media", "lead", "dateline", "section", "heading", "paragraph",
          "turn", "speaker", "gallery", "figure", "note", "separator", "footer"}
STR_TAG = "tag:yaml.org,2002:str"
MERGE_TAG = "tag:yaml.org,2002:merge"


def extra_rules(text):
    """Problems with the rules beyond the schema that show before loading."""
    depth = 0
    for event in yaml.parse(text, Loader=yaml.SafeLoader):
        if isinstance(event, yaml.AliasEvent):
            return "alias"
        if isinstance(event, (yaml.MappingStartEvent, yaml.SequenceStartEvent)):
            depth += 1
            if depth > MAX_DEPTH:
                return "too deep"
        elif isinstance(event, (yaml.MappingEndEvent, yaml.SequenceEndEvent)):
            depth -= 1
    root = yaml.compose(text, Loader=yaml.SafeLoader)
    stack = [root] if root is not None else []
    while stack:
        node = stack.pop()
        if isinstance(node, yaml.MappingNode):
            seen = set()
            for k, v in node.value:
                if isinstance(k, yaml.ScalarNode):
                    if k.tag == MERGE_TAG:
                        return "merge key"
                    if k.tag == STR_TAG:
                        if k.value in seen:
                            return "duplicate key"
                        seen.add(k.value)
                stack.append(k)
                stack.append(v)
        elif isinstance(node, yaml.SequenceNode):
            stack.extend(node.value)
        elif isinstance(node, yaml.ScalarNode) and node.tag == MERGE_TAG:
            return "merge value"
    return None


def cross_references(doc):
    problems = []
    persons = [p.get("id") for p in doc.get("persons", []) if isinstance(p, dict)]
    persons = [p for p in persons if isinstance(p, str)]
    if len(set(persons)) != len(persons):
        problems.append("duplicate person id")
    nodes = [doc]
    stack = [doc.get("body")]
    while stack:
        v = stack.pop()
        if isinstance(v, dict):
            if "type" in v:
                nodes.append(v)
            stack.extend(v.values())
        elif isinstance(v, list):
            stack.extend(v)
    ids = [n["id"] for n in nodes if isinstance(n.get("id"), str)]
    if len(set(ids)) != len(ids):
        problems.append("duplicate node id")
    persons, ids = set(persons), set(ids)
    for n in nodes:
        who = n.get("who")
        if isinstance(who, str):
            for one in who.split(" "):
                if one and one not in persons:
                    problems.append("dangling who %r" % one)
        for link in ("next", "prev"):
            ref = n.get(link)
            if isinstance(ref, str) and ref not in ids:
                problems.append("dangling %s %r" % (link, ref))
    return problems


def reference_verdict(validator, path):
    """(True, []) or (False, reasons)."""
    with open(path, "rb") as f:
        raw = f.read()
    try:
        text = raw.decode("utf-8")
        problem = extra_rules(text)
        if problem:
            return False, [problem]
        doc = yaml.safe_load(text)
    except (yaml.YAMLError, ValueError, TypeError, RecursionError) as e:
        return False, ["load: %s" % str(e).splitlines()[0]]
    errors = [e.message for e in validator.iter_errors(doc)]
    if errors:
        return False, errors
    problems = cross_references(doc)
    return (not problems), problems


def make_validator(schema_path):
    with open(schema_path, encoding="utf-8") as f:
        schema = json.load(f)
    jsonschema.Draft202012Validator.check_schema(schema)
    return jsonschema.Draft202012Validator(schema)


def blank_marker(node, key, layout):
    """In "words" mode, the layout that may hold bytes that are not white
    space, by docs/tree.md: a byte order mark, and a figure's counter (kept
    in before, and in marker). Anything else there would hide words."""
    if node.get("type") == "figure" and key == "before" and layout == node.get("marker"):
        return " "
    if "type" not in node and key == "before":
        return layout.replace("\ufeff", " ")
    return layout


def rebuild(node, mode, out):
    """The losslessness contract, without recursion. mode "full": the source;
    "words": the same with the markers of blank_marker() blanked; "text": no
    layout at all (a block ends in a space, an inline's layout is a space)."""
    stack = [("node", node)]
    while stack:
        kind, v = stack.pop()
        if kind == "str" or isinstance(v, str):
            out.append(v)
            continue
        todo = []
        block = "type" not in v or v["type"] in BLOCKS
        for key in ("before",):
            if key in v:
                if mode == "full":
                    todo.append(("str", v[key]))
                elif mode == "words":
                    todo.append(("str", blank_marker(v, key, v[key])))
                elif not block and v[key]:
                    todo.append(("str", " "))
        if v.get("type") == "insertion":
            todo.append(("str", "["))
        if "text" in v:
            todo.append(("str", v["text"]))
        for child in v.get("content", v.get("body", [])):
            todo.append(("node", child))
        if v.get("type") == "insertion":
            todo.append(("str", "]"))
        if "after" in v:
            if mode == "full":
                todo.append(("str", v["after"]))
            elif mode == "words":
                todo.append(("str", blank_marker(v, "after", v["after"])))
            elif v["after"]:
                todo.append(("str", " "))
        if mode == "text" and block:
            todo.append(("str", " "))  # blocks are apart even without layout
        stack.extend(reversed(todo))
    return out


def roundtrip(yaml_path, source_path, diplomatic_path):
    with open(yaml_path, encoding="utf-8") as f:
        doc = yaml.safe_load(f)
    with open(source_path, "rb") as f:
        source = f.read()
    with open(diplomatic_path, "rb") as f:
        diplomatic = f.read()
    problems = []
    if diplomatic != source:
        problems.append("%s: the diplomatic edition is not the source" % diplomatic_path)
    rebuilt = "".join(rebuild(doc, "full", [])).encode("utf-8")
    if rebuilt != source:
        at = next((i for i, (a, b) in enumerate(zip(rebuilt, source)) if a != b),
                  min(len(rebuilt), len(source)))
        problems.append("%s: rebuilt source differs from %s at byte %d: %r vs %r" % (
            yaml_path, source_path, at, rebuilt[at:at + 30], source[at:at + 30]))
    # The diplomatic edition's words (less the documented markers that ride
    # in layout) are the words of the YAML's text alone.
    words = "".join(rebuild(doc, "words", [])).split()
    text = "".join(rebuild(doc, "text", [])).split()
    if words != text:
        at = next((i for i, (a, b) in enumerate(zip(words, text)) if a != b),
                  min(len(words), len(text)))
        problems.append("%s: the text's words differ from the diplomatic edition's at word %d: %r vs %r" % (
            yaml_path, at, text[at:at + 5], words[at:at + 5]))
    return problems


def c_verdicts(cli, paths):
    """The C validator's verdict on each path (one process per file, so that
    a crash shows as a difference rather than hiding the rest)."""
    verdicts = {}
    for p in paths:
        r = subprocess.run([cli, "-q", "validate", "-f", "yaml", p],
                           stdout=subprocess.PIPE, stderr=subprocess.PIPE)
        if r.returncode not in (0, 1):
            verdicts[p] = "crash(%d): %s" % (r.returncode, r.stderr.decode(errors="replace"))
        else:
            verdicts[p] = r.returncode == 0
    return verdicts


def compare(cli, schema_path, paths):
    validator = make_validator(schema_path)
    mine = c_verdicts(cli, paths)
    bad = 0
    for p in paths:
        ok, why = reference_verdict(validator, p)
        if mine[p] is not ok:
            bad += 1
            print("DIFFERENT %s: reference %s (%s), scriptorium %s" % (
                p, "valid" if ok else "invalid", "; ".join(why[:3]), mine[p]))
    print("%d files, %d verdicts agree, %d differ" % (len(paths), len(paths) - bad, bad))
    return 1 if bad else 0


def corpus(cli, schema_path, corpus_dir, out_dir, every):
    names = sorted(n for n in os.listdir(corpus_dir) if n.endswith(".txt"))
    sample = [os.path.join(corpus_dir, n) for n in names[::every]]
    return check_sources(cli, schema_path, sample, out_dir, "corpus files")


def check_sources(cli, schema_path, sample, out_dir, what):
    # Always fresh: convert -O skips outputs it thinks are up to date.
    shutil.rmtree(out_dir, ignore_errors=True)
    os.makedirs(out_dir, exist_ok=True)
    for fmt, ext, extra in (("yaml", "yaml", ["--set", "source=file-name"]),
                            ("text", "txt", [])):
        sub = os.path.join(out_dir, fmt)
        os.makedirs(sub, exist_ok=True)
        r = subprocess.run([cli, "-q", "convert", "-f", "text", "-t", fmt] + extra +
                           ["-O", sub] + sample)
        if r.returncode != 0:
            print("convert to %s failed (%d)" % (fmt, r.returncode))
            return 1
    validator = make_validator(schema_path)
    yamls = [os.path.join(out_dir, "yaml", os.path.basename(s)[:-4] + ".yaml") for s in sample]
    mine = c_verdicts(cli, yamls) if len(yamls) < 50 else None
    if mine is None:
        # One process for all: far faster; a crash fails the whole run.
        r = subprocess.run([cli, "-q", "validate", "-f", "yaml"] + yamls,
                           stdout=subprocess.PIPE, stderr=subprocess.PIPE)
        if r.returncode not in (0, 1):
            print("validate crashed (%d)" % r.returncode)
            return 1
        invalid = set()
        for line in r.stderr.decode(errors="replace").splitlines():
            invalid.add(line.split(":", 1)[0])
        mine = {y: y not in invalid for y in yamls}
    failures = 0
    for src, y in zip(sample, yamls):
        ok, why = reference_verdict(validator, y)
        problems = []
        if not ok:
            problems.append("reference: invalid: " + "; ".join(why[:3]))
        if mine[y] is not ok:
            problems.append("verdicts differ: scriptorium says %s" % mine[y])
        txt = os.path.join(out_dir, "text", os.path.basename(src))
        problems += roundtrip(y, src, txt)
        if problems:
            failures += 1
            for p in problems:
                print("%s: %s" % (y, p))
    print("%d %s: %d passed, %d failed" % (len(sample), what, len(sample) - failures, failures))
    return 1 if failures else 0


def main(argv):
    if len(argv) < 2:
        print(__doc__)
        return 2
    cmd = argv[1]
    if cmd == "verdicts":
        v = make_validator(argv[2])
        for p in argv[3:]:
            ok, why = reference_verdict(v, p)
            print("%s %s%s" % (p, "valid" if ok else "invalid", "" if ok else ": " + "; ".join(why[:3])))
        return 0
    if cmd == "roundtrip":
        problems = roundtrip(argv[2], argv[3], argv[4])
        for p in problems:
            print(p)
        return 1 if problems else 0
    if cmd == "compare":
        return compare(argv[2], argv[3], argv[4:])
    if cmd == "expect":
        want = argv[2] == "valid"
        v = make_validator(argv[4])
        mine = c_verdicts(argv[3], argv[5:])
        bad = 0
        for p in argv[5:]:
            ok, why = reference_verdict(v, p)
            if ok is not want or mine[p] is not want:
                bad += 1
                print("%s: expected %s; reference %s (%s), scriptorium %s" % (
                    p, argv[2], ok, "; ".join(why[:3]), mine[p]))
        print("%d passed, %d failed" % (len(argv) - 5 - bad, bad))
        return 1 if bad or len(argv) == 5 else 0
    if cmd == "check":
        return check_sources(argv[2], argv[3], argv[5:], argv[4], "sources")
    if cmd == "corpus":
        if not os.path.isdir(argv[4]):
            print("no corpus at %s: skipped" % argv[4])
            return 77
        return corpus(argv[2], argv[3], argv[4], argv[5], int(argv[6]))
    print(__doc__)
    return 2


if __name__ == "__main__":
    sys.exit(main(sys.argv))
