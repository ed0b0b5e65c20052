#!/usr/bin/env bash
# Before and after: the kernel benchmarks and the server scenarios of two
# release builds, run one after the other on this machine, with the same load
# generator (this tree's) against both servers, so the ratios compare the code.
#
#   bench/compare.sh OLD_RELEASE_DIR [OUT]     OUT defaults to build/compare
#
# OLD_RELEASE_DIR is another checkout's build/release (built with the targets
# salesboost, bench_turn_pipeline, bench_chunker and bench_knowledge). The
# scenarios are shortened (COMPARE_STEP s per step, default 10) to keep both
# runs under 15 minutes; make bench runs the full ones.
set -euo pipefail
cd "$(dirname "$0")/.."
OLD=${1:?usage: bench/compare.sh OLD_RELEASE_DIR [OUT]}
OUT=${2:-build/compare}
NEW=build/release
STEP=${COMPARE_STEP:-10}
export OMP_THREAD_LIMIT=1
mkdir -p "$OUT"

kernels() {  # build label
  "$1/bench/bench_turn_pipeline" --benchmark_repetitions=5 --benchmark_report_aggregates_only=true \
    --benchmark_out="$OUT/$2-turn.json" --benchmark_out_format=json > /dev/null
  "$1/bench/bench_chunker" --benchmark_repetitions=5 --benchmark_report_aggregates_only=true \
    --benchmark_out="$OUT/$2-chunker.json" --benchmark_out_format=json > /dev/null
  "$1/bench/bench_knowledge" query --chunks 10000 --queries 1000 > "$OUT/$2-query.md"
}
scenarios() {  # build label
  for s in offline llm soak; do
    SALESBOOST_BIN="$1/src/salesboost" OFFLINE_STEP=$STEP LLM_STEP=$STEP SOAK_SECONDS=$((STEP * 6)) SOAK_WARMUP=$STEP \
      bench/load.sh "$s" "$OUT/$2" > /dev/null
  done
  SALESBOOST_BIN="$1/src/salesboost" IDLE_CONNECTIONS=10000 bench/load.sh idle "$OUT/$2" > /dev/null
}

kernels "$OLD" old
kernels "$NEW" new
scenarios "$OLD" old
scenarios "$NEW" new
python3 - "$OUT" <<'PY'
import json, sys, pathlib
out = pathlib.Path(sys.argv[1])
def kernel(label, name):
    data = json.loads((out / f"{label}-{name}.json").read_text())
    return {b["run_name"]: b["cpu_time"] for b in data["benchmarks"] if b.get("aggregate_name") == "median"}
print("| kernel (median CPU time) | before | after | after/before |")
print("|---|---|---|---|")
for name in ("turn", "chunker"):
    old, new = kernel("old", name), kernel("new", name)
    for run in old:
        if run in new:
            print(f"| `{run}` | {old[run]/1000:.1f} µs | {new[run]/1000:.1f} µs | {new[run]/old[run]:.2f} |")
print()
for label in ("old", "new"):
    print(f"query ({label}):", (out / f"{label}-query.md").read_text().strip())
for md in sorted((out / "new").glob("*.md")):
    old = out / "old" / md.name
    print(f"\n### {md.stem}\n\nbefore:\n\n{old.read_text() if old.exists() else '(missing)'}\nafter:\n\n{md.read_text()}")
PY
