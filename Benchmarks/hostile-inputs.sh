#!/usr/bin/env bash
# `metalint check` on hostile inputs (issue 16): wall time and peak memory of a release build, each input
# generated in a temporary directory. Usage: Benchmarks/hostile-inputs.sh [--no-build]
#   locals-50mb   one method with 50 MB of `let` lines (2.9M locals)
#   binary-5.8mb  5.8 MB of random bytes named .mdl
#   dollars-20kb  one 20 KB line of `$` (20,000 syntax errors)
#   sum-10000     a flat sum of 10,000 terms
set -euo pipefail
cd "$(dirname "$0")/.."
[[ ${1:-} == --no-build ]] || swift build -c release --product metalint >/dev/null
bin=$PWD/.build/release/metalint
dir=$(mktemp -d)
trap 'rm -rf "$dir"' EXIT
python3 - "$dir" <<'PY'
import os, random, sys
d = sys.argv[1]
head = "layer L(h: Int) {\n  func forward(x: Tensor) -> Tensor {\n"
tail = "    return x\n  }\n}\n"
with open(f"{d}/locals-50mb.mdl", "w") as f:
    f.write(head)
    i, size = 0, 0
    while size < 50_000_000:
        line = f"    let v{i} = x\n"
        f.write(line)
        size += len(line)
        i += 1
    f.write(tail)
random.seed(16)
with open(f"{d}/binary-5.8mb.mdl", "wb") as f:
    f.write(random.randbytes(5_800_000))
with open(f"{d}/dollars-20kb.mdl", "w") as f:
    f.write("$" * 20_000 + "\n")
with open(f"{d}/sum-10000.mdl", "w") as f:
    f.write(head + "    return " + " + ".join(["x"] * 10_000) + "\n" + tail[len("    return x\n"):])
PY
echo "machine: $(nproc) cores, load $(cut -d' ' -f1-3 /proc/loadavg)"
for name in locals-50mb binary-5.8mb dollars-20kb sum-10000; do
  mkdir "$dir/$name"
  mv "$dir/$name.mdl" "$dir/$name/"
  set +e
  /usr/bin/time -o "$dir/time" -f "%e s %M KB" "$bin" check "$dir/$name/$name.mdl" >"$dir/out" 2>"$dir/err"
  status=$?
  set -e
  t=$(tail -1 "$dir/time")
  printf '%-14s %-20s exit %s, %s bytes of output\n' "$name" "$t" "$status" "$(wc -c <"$dir/out")"
done
