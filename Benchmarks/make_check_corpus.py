#!/usr/bin/env python3
"""Writes a large ModelDSL program for the `check` speed benchmark: the seed pull request's corrected state
(fixtures/seed-pr/after) replicated N times, every top-level name suffixed per copy, so that it is one
valid program of many files (usage: make_check_corpus.py OUT_DIR [COPIES])."""
import glob, os, re, sys

out = sys.argv[1]
copies = int(sys.argv[2]) if len(sys.argv) > 2 else 300
root = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "fixtures", "seed-pr", "after")
sources = {p: open(p).read() for p in sorted(glob.glob(os.path.join(root, "*.mdl")))}
names = set()
for s in sources.values():
    for m in re.finditer(r"^(?:config|context|layer|model)\s+(\w+)|^extern func (\w+)", s, re.M):
        names.add(m.group(1) or m.group(2))
pattern = re.compile(r"\b(" + "|".join(sorted(names, key=len, reverse=True)) + r")\b")
os.makedirs(out, exist_ok=True)
lines = 0
for i in range(copies):
    for path, s in sources.items():
        text = pattern.sub(lambda m: "%s_%d" % (m.group(1), i), s)
        with open(os.path.join(out, "c%04d_%s" % (i, os.path.basename(path))), "w") as f:
            f.write(text)
        lines += text.count("\n")
print("%d lines in %d files" % (lines, copies * len(sources)))
