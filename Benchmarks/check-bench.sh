#!/usr/bin/env bash
# `metalint check` and `fix` at scale (issue 10), against `ruff check` on as many lines of real Python.
#
# Usage: Benchmarks/check-bench.sh [--quick]
#   full:    clean/findings corpora of 10k, 100k and 1M lines (make_corpus.py), best of 3 each; callgrind
#            instruction counts on the 10k and 100k corpora
#   --quick: 10k and 100k only, one run each (for iteration)
# Environment: CHECK_TIMEOUT (seconds, default 90) caps every metalint run; a run past it is reported as a
# timeout. METALINT_BENCH_CACHE (default ~/.cache/metalint-bench) holds ruff's venv and the PyPI download.
#
# Per case: wall seconds and peak RSS from `/usr/bin/time -f "%e %M"` (best wall time of N), lines/s, the
# number of findings from check's summary line. fix runs on a fresh copy of the 100k findings corpus each
# time. ruff runs with --no-cache --isolated (default rules, then --select F) --quiet --exit-zero on real
# Python: the .py files of the `transformers` wheel (pip download --no-deps), repeated until the line count
# of the 1M corpus, or the CPython 3.12 stdlib when PyPI cannot be reached. Instructions per line come from
# callgrind on the 10k corpora, and 100k in a full run (it counts instructions: other load does not change them).
set -euo pipefail
cd "$(dirname "$0")/.."
repo=$PWD
quick=0
[[ ${1:-} == --quick ]] && quick=1
if ((quick)); then sizes=(10000 100000); runs=1; else sizes=(10000 100000 1000000); runs=3; fi
limit=${CHECK_TIMEOUT:-90}
cache=${METALINT_BENCH_CACHE:-$HOME/.cache/metalint-bench}
work=$(mktemp -d /tmp/metalint-bench.XXXXXX)
trap 'rm -rf "$work"' EXIT
results=$work/results.tsv
: >"$results"

echo "building: swift build -c release --product metalint" >&2
swift build -c release --product metalint >/dev/null
bin=$repo/.build/release/metalint

# The renamed copies must report what the originals report (rule by rule, message by message).
for kind in findings clean; do python3 Benchmarks/make_corpus.py "$work/verify-$kind" 1 --kind "$kind" --verify "$bin" >&2; done
rm -rf "$work"/verify-*

# measure NAME LINES CMD…: best wall time of $runs runs of CMD (stdout to $work/out); appends a row to results.
# Columns: name lines findings seconds rss_kb note. A run over $limit seconds (status 124) is a timeout.
measure() {
  local name=$1 lines=$2; shift 2
  local best="" best_mem="" status
  for ((r = 0; r < runs; r++)); do
    status=0
    /usr/bin/time -f "%e %M" -o "$work/time" timeout "$limit" "$@" >"$work/out" 2>"$work/err" || status=$?
    if ((status == 124)); then
      printf '%s\t%s\t-\ttimeout\t-\t> %ss (timeout)\n' "$name" "$lines" "$limit" >>"$results"
      return
    fi
    read -r secs mem < <(tail -1 "$work/time")
    if [[ -z $best ]] || awk "BEGIN{exit !($secs < $best)}"; then best=$secs; best_mem=$mem; cp "$work/out" "$work/best"; fi
  done
  printf '%s\t%s\t%s\t%s\t%s\t%s\n' "$name" "$lines" "$(count "$name")" "$best" "$best_mem" "${note:-}" >>"$results"
}

# count NAME: the findings or fixes the best run reported, from its summary line.
count() {
  case $1 in
    check*) tail -1 "$work/best" | grep -oE '[0-9]+ (error|warning)s?' | awk '{n += $1} END {print n + 0}' ;;
    fix*) grep -E '^fixed [0-9]+ finding' "$work/best" | sed -E 's/^fixed ([0-9]+) findings? in ([0-9]+) files? \(([0-9]+) rounds?\).*/\1 fixed, \3 rounds/' ;;
    *) echo "-" ;;
  esac
}

declare -A corpus_lines
for kind in clean findings; do
  for n in "${sizes[@]}"; do
    dir=$work/$kind-$n
    summary=$(python3 Benchmarks/make_corpus.py "$dir" "$n" --kind "$kind")
    echo "corpus $kind $n: $summary" >&2
    corpus_lines[$kind-$n]=${summary%% *}
    note="" measure "check $kind $n" "${corpus_lines[$kind-$n]}" "$bin" check "$dir"
  done
done

# fix on a fresh copy of the 100k findings corpus each run, next to check of that corpus.
fix_lines=${corpus_lines[findings-100000]}
best="" best_mem=""
for ((r = 0; r < runs; r++)); do
  rm -rf "$work/fixcopy"; cp -r "$work/findings-100000" "$work/fixcopy"
  status=0
  /usr/bin/time -f "%e %M" -o "$work/time" timeout "$limit" "$bin" fix "$work/fixcopy" >"$work/out" 2>"$work/err" || status=$?
  if ((status == 124)); then best=timeout; break; fi
  read -r secs mem < <(tail -1 "$work/time")
  if [[ -z $best ]] || awk "BEGIN{exit !($secs < $best)}"; then best=$secs; best_mem=$mem; cp "$work/out" "$work/best"; fi
done
if [[ $best == timeout ]]; then
  printf 'fix findings 100000 (copy)\t%s\t-\ttimeout\t-\t> %ss (timeout)\n' "$fix_lines" "$limit" >>"$results"
else
  remaining=$(grep -cE '^[^ ].*:[0-9]+:[0-9]+: ' "$work/best" || true)
  printf 'fix findings 100000 (copy)\t%s\t%s\t%s\t%s\t%s remaining\n' "$fix_lines" "$(count fix)" "$best" "$best_mem" \
    "$remaining" >>"$results"
fi
rm -rf "$work/fixcopy"

# ruff on real Python, as many lines as the largest findings corpus.
target=${corpus_lines[findings-${sizes[-1]}]}
if [[ ! -x $cache/venv/bin/ruff ]]; then
  python3 -m venv "$cache/venv" && "$cache/venv/bin/pip" install -q ruff >&2 || true
fi
ruff=$cache/venv/bin/ruff
if [[ ! -x $ruff ]]; then ruff=$(command -v ruff || true); fi
pysrc=""
if [[ -z $(ls "$cache"/downloads/transformers-*.whl 2>/dev/null) ]]; then
  "$cache/venv/bin/pip" download -q --no-deps transformers -d "$cache/downloads" >&2 || true
fi
wheel=$(ls "$cache"/downloads/transformers-*.whl 2>/dev/null | sort | tail -1 || true)
if [[ -n $wheel ]]; then
  pysrc=$cache/src/$(basename "$wheel" .whl)
  [[ -d $pysrc ]] || python3 -c 'import sys, zipfile; zipfile.ZipFile(sys.argv[1]).extractall(sys.argv[2])' "$wheel" "$pysrc"
  pyname="transformers $(basename "$wheel" | cut -d- -f2) (PyPI wheel)"
else
  pysrc=$HOME/.pyenv/versions/3.12.1/lib/python3.12
  pyname="CPython 3.12.1 stdlib (offline fallback)"
fi
pylines=$(python3 - "$pysrc" "$work/py" "$target" <<'EOF'
import os, shutil, sys
src, out, target = sys.argv[1], sys.argv[2], int(sys.argv[3])
files = sorted(os.path.join(d, f) for d, _, fs in os.walk(src) for f in fs
               if f.endswith(".py") and "site-packages" not in d and "/test" not in d[len(src):])
total, copy = 0, 0
while total < target:
    for p in files:
        if total >= target:
            break
        dest = os.path.join(out, "r%d" % copy, os.path.relpath(p, src))
        os.makedirs(os.path.dirname(dest), exist_ok=True)
        shutil.copyfile(p, dest)
        with open(p, "rb") as f:
            total += f.read().count(b"\n")
    copy += 1
print(total)
EOF
)
ruff_version=none
if [[ -n $ruff ]]; then
  ruff_version=$("$ruff" --version)
  first_py=$(find "$work/py" -name '*.py' -print -quit)
  ruff_rules=$("$ruff" check --isolated --show-settings "$first_py" | sed -n '/linter.rules.enabled/,/\]/p' | grep -c '(' || true)
  ruff_version="$ruff_version (default rules: $ruff_rules enabled), on $pylines lines of $pyname"
  note="$pyname" measure "ruff check (default rules)" "$pylines" "$ruff" check --no-cache --isolated --quiet --exit-zero "$work/py"
  note="$pyname" measure "ruff check --select F" "$pylines" "$ruff" check --no-cache --isolated --select F --quiet --exit-zero "$work/py"
fi

# Instructions per line (all threads) on the 10k corpora, and on the 100k ones in a full run: a count other load
# does not change, so the 100k/10k ratio shows super-linear work that noisy wall times may hide.
declare -A ir_per_line
ir_sizes=(10000)
((quick)) || ir_sizes+=(100000)
if command -v valgrind >/dev/null; then
  for kind in clean findings; do
    for n in "${ir_sizes[@]}"; do
      ir=$(valgrind --tool=callgrind --callgrind-out-file=/dev/null "$bin" check "$work/$kind-$n" 2>&1 >/dev/null \
        | awk '/refs:/ {gsub(",", "", $NF); print $NF}' || true)
      ir_per_line[$kind-$n]=$(awk "BEGIN{printf \"%.0f\", $ir/${corpus_lines[$kind-$n]}}")
    done
  done
fi

# The report.
echo
echo "### $(date -u '+%Y-%m-%d %H:%M') UTC, commit $(git rev-parse --short HEAD)$( ((quick)) && echo ', --quick')"
echo
echo "Machine: $(nproc) cores ($(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //')), load average" \
  "$(cut -d' ' -f1-3 /proc/loadavg) at the end; best of $runs; timeout ${limit}s; $ruff_version."
echo
python3 - "$results" <<'EOF'
import sys
rows = [l.rstrip("\n").split("\t") for l in open(sys.argv[1])]
ruff = next((float(r[1]) / float(r[3]) for r in rows if r[0] == "ruff check (default rules)" and r[3] != "timeout"), None)
print("| corpus | lines | findings | seconds | lines/s | peak MB | per line vs ruff (default) | note |")
print("| --- | ---: | ---: | ---: | ---: | ---: | ---: | --- |")
speed = {}
for name, lines, found, secs, rss, note in rows:
    if secs == "timeout":
        print("| %s | %s | - | timeout | < %.0f | - | - | %s |" % (name, f"{int(lines):,}", int(lines) / float(note.split()[1].rstrip("s")), note))
        continue
    lps = int(lines) / max(float(secs), 0.005)
    speed[name] = lps
    vs = "%.2f×" % (lps / ruff) if ruff else "-"
    print("| %s | %s | %s | %s | %s | %.0f | %s | %s |" % (name, f"{int(lines):,}", found, secs, f"{lps:,.0f}",
                                                       int(rss) / 1024, vs, note))
print()
fix = next((r for r in rows if r[0].startswith("fix")), None)
chk = next((r for r in rows if r[0] == "check findings 100000"), None)
if fix and chk and "timeout" not in (fix[3], chk[3]):
    print("fix / check on the 100k findings corpus: %.2f× (target ≤ 3×)" % (float(fix[3]) / max(float(chk[3]), 0.005)))
for kind in ("clean", "findings"):
    base = speed.get("check %s 10000" % kind)
    parts = ["%s %.2f×" % (n.split()[-1], base / speed[n]) for n in ("check %s 100000" % kind, "check %s 1000000" % kind)
             if base and n in speed]
    if parts:
        print("time per line relative to 10k, %s: %s (target ≤ 1.5×)" % (kind, ", ".join(parts)))
EOF
for kind in clean findings; do
  for n in "${ir_sizes[@]}"; do
    [[ -n ${ir_per_line[$kind-$n]:-} ]] && echo "instructions per line (callgrind, all threads), $kind $n: ${ir_per_line[$kind-$n]}"
  done
done
cat <<EOF

Commands (DIR = a make_corpus.py corpus, PY = the Python tree):
  python3 Benchmarks/make_corpus.py DIR LINES --kind clean|findings
  /usr/bin/time -f "%e %M" timeout $limit .build/release/metalint check DIR
  /usr/bin/time -f "%e %M" timeout $limit .build/release/metalint fix COPY_OF_DIR
  /usr/bin/time -f "%e %M" ruff check --no-cache --isolated [--select F] --quiet --exit-zero PY
  valgrind --tool=callgrind --callgrind-out-file=/dev/null .build/release/metalint check DIR   (10k; 100k in a full run)
EOF
