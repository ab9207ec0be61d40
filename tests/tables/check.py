#!/usr/bin/python3
"""check.py [--r] CLI OUTDIR INPUT... - converts the inputs to tsv, csv,
tei and the diplomatic text into OUTDIR (with the corpus tables) and loads
the tables with Python's csv module (and, with --r, R's read.delim and
read.csv; skipped, 77, without Rscript):

* one header line, the columns of docs/tables.md, every row as wide;
* the TSV (unescaped) and the CSV hold the same rows;
* rows of kind quote with a speaker_id as many as the TEI's said[@who] of
  direct speech (reported speech is kind reported),
  rows of kind turn as many as its sp and u;
* every row's text is the diplomatic edition's [start, end) in code points
  and [byte_start, byte_end) in bytes;
* the corpus table is the header and every document's rows, in order;
* R finds as many rows, quotations with a speaker and turns.
"""
import csv
import os
import subprocess
import sys
import xml.etree.ElementTree as ET

TEI = '{http://www.tei-c.org/ns/1.0}'
COLUMNS = ['document', 'date', 'place', 'kind', 'n', 'block', 'paragraph', 'speaker_id',
           'speaker_name', 'attribution', 'certainty', 'quote_id', 'next', 'prev', 'start', 'end',
           'byte_start', 'byte_end', 'text']
UNESCAPE = {'\\\\': '\\', '\\t': '\t', '\\n': '\n', '\\r': '\r'}


def unescape(field):
    out, i = [], 0
    while i < len(field):
        two = field[i:i + 2]
        if two in UNESCAPE:
            out.append(UNESCAPE[two])
            i += 2
        elif field[i] == '\\':
            raise ValueError(f'bad escape in {field[i:i + 10]!r}')
        else:
            out.append(field[i])
            i += 1
    return ''.join(out)


def read_tsv(path):
    with open(path, encoding='utf-8', newline='') as f:
        rows = list(csv.reader(f, delimiter='\t', quoting=csv.QUOTE_NONE, strict=True))
    return [[unescape(x) for x in r] for r in rows]


def read_csv(path):
    with open(path, encoding='utf-8', newline='') as f:
        return list(csv.reader(f, strict=True))


def tei_counts(path):
    root = ET.parse(path).getroot()
    # direct speech only: reported speech (said direct="false") has rows of kind reported
    said = sum(1 for e in root.iter(TEI + 'said') if e.get('who') and e.get('direct') != 'false')
    turns = sum(1 for e in root.iter() if e.tag in (TEI + 'sp', TEI + 'u'))
    return said, turns


R_SCRIPT = r'''
args <- commandArgs(trailingOnly = TRUE)
t <- read.delim(args[1], quote = "", comment.char = "", na.strings = character(0),
                colClasses = "character", encoding = "UTF-8")
c <- read.csv(args[2], na.strings = character(0), colClasses = "character", encoding = "UTF-8")
stopifnot(identical(names(t), names(c)), nrow(t) == nrow(c), identical(t$kind, c$kind))
cat(nrow(t), sum(t$kind == "quote" & t$speaker_id != ""), sum(t$kind == "turn"),
    nrow(c), sum(c$kind == "quote" & c$speaker_id != ""), sum(c$kind == "turn"), "\n")
'''


def main():
    args = sys.argv[1:]
    # --no-tei-counts: for a tree the TEI cannot carry whole (every-node-tei.yaml
    # has a quotation inside a date, which TEI leaves out with a warning)
    tei_counts_on = '--no-tei-counts' not in args
    args = [a for a in args if a != '--no-tei-counts']
    use_r = args and args[0] == '--r'
    if use_r:
        args = args[1:]
        if not os.access('/usr/bin/Rscript', os.X_OK):
            print('skipped: no /usr/bin/Rscript (scripts/setup installs r-base-core)')
            return 77
    cli, outdir, inputs = args[0], args[1], args[2:]
    os.makedirs(outdir, exist_ok=True)
    formats = 'tsv,csv,tei,text'
    r = subprocess.run([cli, 'convert', '-q', '--force', '-t', formats, '-O', outdir] + inputs,
                       capture_output=True, text=True)
    if r.returncode != 0:
        print(r.stderr)
        print(f'convert failed ({r.returncode})')
        return 1
    bad = 0
    all_rows = []
    want_said = want_turns = 0
    for inp in inputs:
        stem = os.path.splitext(os.path.basename(inp))[0]
        problems = []
        tsv = read_tsv(os.path.join(outdir, stem + '.tsv'))
        csv_rows = read_csv(os.path.join(outdir, stem + '.csv'))
        if not tsv or tsv[0] != COLUMNS:
            problems.append(f'header {tsv[:1]}')
        if tsv != csv_rows:
            problems.append('the TSV and the CSV differ')
        rows = [dict(zip(COLUMNS, r)) for r in tsv[1:]]
        if any(len(r) != len(COLUMNS) for r in tsv):
            problems.append('a row of another width')
        with open(os.path.join(outdir, stem + '.txt'), encoding='utf-8', newline='') as f:
            dip = f.read()
        dipb = dip.encode('utf-8')
        for row in rows:
            s, e, bs, be = (int(row[k]) for k in ('start', 'end', 'byte_start', 'byte_end'))
            if dip[s:e] != row['text'] or dipb[bs:be].decode('utf-8') != row['text']:
                problems.append(f'{row["kind"]} {row["n"]}: text is not the diplomatic [{s}, {e})')
                break
        said, turns = tei_counts(os.path.join(outdir, stem + '.xml'))
        got_said = sum(1 for r in rows if r['kind'] == 'quote' and r['speaker_id'])
        got_turns = sum(1 for r in rows if r['kind'] == 'turn')
        if tei_counts_on and got_said != said:
            problems.append(f'{got_said} quotations with a speaker, the TEI has {said} said[@who]')
        if got_turns != turns:
            problems.append(f'{got_turns} turns, the TEI has {turns} sp/u')
        want_said += said
        want_turns += turns
        all_rows.extend(tsv[1:])
        for p in problems[:10]:
            print(f'{stem}: {p}')
        bad += bool(problems)
    tsv_path, csv_path = (os.path.join(outdir, stem + '.tsv'), os.path.join(outdir, stem + '.csv'))
    if len(inputs) > 1:
        tsv_path, csv_path = os.path.join(outdir, 'corpus.tsv'), os.path.join(outdir, 'corpus.csv')
        corpus = read_tsv(tsv_path)
        if corpus != [COLUMNS] + all_rows or read_csv(csv_path) != corpus:
            print('the corpus tables are not the header and every document\'s rows')
            bad += 1
    if use_r:
        script = os.path.join(outdir, 'load.R')
        with open(script, 'w') as f:
            f.write(R_SCRIPT)
        r = subprocess.run(['/usr/bin/Rscript', '--vanilla', script, tsv_path, csv_path],
                           capture_output=True, text=True)
        if r.returncode != 0:
            print(r.stdout, r.stderr)
            return 1
        got = [int(x) for x in r.stdout.split()]
        want = [len(all_rows), want_said, want_turns] * 2
        print(f'R (rows, quotations with a speaker, turns; TSV then CSV): {got}')
        if got != want:
            print(f'R found {got}, the TEI and Python {want}')
            bad += 1
    print(f'tables: {len(inputs)} documents, {len(all_rows)} rows ({want_said} quotations with '
          f'a speaker, {want_turns} turns), {bad} with problems')
    return 1 if bad else 0


if __name__ == '__main__':
    sys.exit(main())
