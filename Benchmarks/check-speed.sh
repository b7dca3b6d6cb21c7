#!/usr/bin/env bash
# `metalint check` speed: lines per second on a generated corpus (see make_check_corpus.py), best of 5
# release runs, wall time and peak memory. Usage: Benchmarks/check-speed.sh [COPIES]
set -euo pipefail
cd "$(dirname "$0")/.."
copies=${1:-300}
corpus=$(mktemp -d)
trap 'rm -rf "$corpus"' EXIT
swift build -c release --product metalint >/dev/null
summary=$(python3 Benchmarks/make_check_corpus.py "$corpus" "$copies")
lines=${summary%% *}
best=""
for run in 1 2 3 4 5; do
  t=$( { /usr/bin/time -f "%e %M" .build/release/metalint check "$corpus" >/dev/null; } 2>&1 | tail -1)
  secs=${t% *}
  mem=${t#* }
  if [[ -z $best ]] || awk "BEGIN{exit !($secs < ${best% *})}"; then best="$secs $mem"; fi
done
secs=${best% *}
echo "corpus: $summary"
echo "check: best of 5 ${secs}s, $(awk "BEGIN{printf \"%.0f\", $lines/$secs}") lines/s, peak RSS ${best#* } KB"
echo "machine: $(nproc) cores, load $(cut -d' ' -f1-3 /proc/loadavg)"
# Instructions per line (callgrind counts instructions, not seconds: the same on a busy machine).
if command -v valgrind >/dev/null; then
  small=$(mktemp -d)
  python3 Benchmarks/make_check_corpus.py "$small" 30 >/dev/null
  small_lines=$(cat "$small"/*.mdl | wc -l)
  ir=$(valgrind --tool=callgrind --callgrind-out-file=/dev/null .build/release/metalint check "$small" 2>&1 \
    | awk '/refs:/ {gsub(",", "", $NF); print $NF}')
  rm -rf "$small"
  echo "instructions: $ir for $small_lines lines, $(awk "BEGIN{printf \"%.0f\", $ir/$small_lines}") per line (all threads)"
fi
