#!/usr/bin/env python3
"""Writes one large ModelDSL program for the check/fix benchmarks (Benchmarks/check-bench.sh).

usage: make_corpus.py OUT_DIR LINES --kind clean|findings [--verify METALINT]

  findings  copies of the seed pull request's `before/` and `review/` states (fixtures/seed-pr): per copy
            11 unthreaded-context + the six review findings
  clean     copies of `after/` and of `fixtures/models`: no findings

Every top-level name a state declares (config, context, layer, model, extern func) is suffixed per copy and
state (`FusedMoE` -> `FusedMoE_b12`), so that the copies are one program without collisions. The number of
copies is the smallest that reaches LINES. A copy's files are concatenated into files of a few hundred lines,
20 copies per subdirectory. Output is deterministic. Prints "LINES lines in FILES files (COPIES copies …)".

--verify METALINT runs `METALINT check --format json` on the original state directories and on a one-copy
corpus and exits 1 unless both report the same rules with the same counts and the same messages once the
suffixes are taken out."""
import argparse, collections, glob, json, os, re, shutil, subprocess, sys, tempfile

ROOT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "fixtures")
STATES = {
    "findings": [("b", "seed-pr/before"), ("r", "seed-pr/review")],
    "clean": [("a", "seed-pr/after"), ("m", "models")],
}
DECL = re.compile(r"^(?:config|context|layer|model)\s+(\w+)|^extern\s+func\s+(\w+)", re.M)
TARGET_FILE_LINES = 250
COPIES_PER_DIR = 20


class State:
    """One fixture directory (one program) and the pattern that renames its top-level names."""

    def __init__(self, tag, rel):
        self.tag, self.rel = tag, rel
        self.dir = os.path.normpath(os.path.join(ROOT, rel))
        self.sources = []
        for p in sorted(glob.glob(os.path.join(self.dir, "*.mdl"))):
            text = open(p, encoding="utf-8").read()
            self.sources.append((os.path.basename(p), text if text.endswith("\n") else text + "\n"))
        names = {m.group(1) or m.group(2) for _, s in self.sources for m in DECL.finditer(s)}
        self.pattern = re.compile(r"\b(" + "|".join(sorted(names, key=len, reverse=True)) + r")\b")
        self.lines = sum(s.count("\n") for _, s in self.sources)

    def files(self, copy):
        """The renamed copy, concatenated into files of about TARGET_FILE_LINES lines: [(name, text)]."""
        suffix = "_%s%d" % (self.tag, copy)
        out, chunk, n = [], [], 0
        for _, s in self.sources:
            chunk.append(self.pattern.sub(lambda m: m.group(1) + suffix, s))
            n += s.count("\n")
            if n >= TARGET_FILE_LINES:
                out.append(chunk)
                chunk, n = [], 0
        if chunk:
            out.append(chunk)
        return [("c%05d_%s%d.mdl" % (copy, self.tag, k), "\n".join(c)) for k, c in enumerate(out)]


def write(out, lines, kind, quiet=False):
    states = [State(t, r) for t, r in STATES[kind]]
    per_copy = sum(s.lines for s in states)
    copies = max(1, -(-lines // per_copy))
    total = files = 0
    for i in range(copies):
        d = os.path.join(out, "g%03d" % (i // COPIES_PER_DIR))
        os.makedirs(d, exist_ok=True)
        for s in states:
            for name, text in s.files(i):
                with open(os.path.join(d, name), "w", encoding="utf-8") as f:
                    f.write(text)
                total += text.count("\n")
                files += 1
    what = " + ".join(r for _, r in STATES[kind])
    if not quiet:
        print("%d lines in %d files (%d copies of %s, %d lines each)" % (total, files, copies, what, per_copy))


def findings(metalint, path):
    """(rule, message) of every finding `metalint check --format json PATH` reports."""
    run = subprocess.run([metalint, "check", "--format", "json", path], capture_output=True, text=True)
    if run.returncode not in (0, 1):
        sys.exit("metalint failed on %s (status %d): %s" % (path, run.returncode, run.stderr))
    data = json.loads(run.stdout)
    items = data["findings"] if isinstance(data, dict) else data
    return [(f["rule"], f["message"]) for f in items]


def verify(metalint, kind):
    """Whether one renamed copy reports what the original states report, rule for rule and message for message."""
    expected = collections.Counter()
    for _, rel in STATES[kind]:
        expected.update(findings(metalint, os.path.join(ROOT, rel)))
    tmp = tempfile.mkdtemp(prefix="metalint-corpus-verify-")
    try:
        write(tmp, 1, kind, quiet=True)
        unsuffix = re.compile(r"_[%s]0\b" % "".join(t for t, _ in STATES[kind]))
        got = collections.Counter((r, unsuffix.sub("", m)) for r, m in findings(metalint, tmp))
    finally:
        shutil.rmtree(tmp)
    rules = lambda c: dict(sorted(collections.Counter(r for (r, _), n in c.items() for _ in range(n)).items()))
    print("verify %s: originals %s, one copy %s" % (kind, rules(expected), rules(got)))
    if got != expected:
        for key in sorted(set(got) | set(expected)):
            if got[key] != expected[key]:
                print("  %s: original %d, copy %d: %s" % (key[0], expected[key], got[key], key[1]))
        sys.exit(1)


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("out")
    ap.add_argument("lines", type=int)
    ap.add_argument("--kind", choices=sorted(STATES), required=True)
    ap.add_argument("--verify", metavar="METALINT")
    a = ap.parse_args()
    if a.verify:
        verify(a.verify, a.kind)
    write(a.out, a.lines, a.kind)


if __name__ == "__main__":
    main()
