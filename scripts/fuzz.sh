#!/usr/bin/env bash
# Runs every libFuzzer target of a `fuzz` preset build for SECONDS each and
# prints a summary; exits non-zero when any target crashed, leaked, timed out
# or ran out of memory.
#
#   scripts/fuzz.sh BUILD_DIR SECONDS [TARGET...]     (make fuzz FUZZ_SECONDS=60)
#
# Each target reads its committed seeds (fuzz/corpus/<name>, never written)
# and keeps what it finds in BUILD_DIR/corpus/<name>, which later runs start
# from; crashing inputs, with the log, go to BUILD_DIR/findings/<name>/.
# FUZZ_ARGS adds libFuzzer flags (e.g. -jobs=2, -max_len=65536).
set -uo pipefail

build=${1:?usage: scripts/fuzz.sh BUILD_DIR SECONDS [TARGET...]}
seconds=${2:?usage: scripts/fuzz.sh BUILD_DIR SECONDS [TARGET...]}
shift 2
root=$(cd "$(dirname "$0")/.." && pwd)
targets=("$@")
if ((${#targets[@]} == 0)); then
  for dir in "$root"/fuzz/corpus/*/; do targets+=("$(basename "$dir")"); done
fi

# Sanitizer reports end the run; a slow input (10 s) or 2 GB of memory is a finding too.
export ASAN_OPTIONS=${ASAN_OPTIONS:-abort_on_error=1:detect_leaks=1:strict_string_checks=1}
export UBSAN_OPTIONS=${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1}
export LSAN_OPTIONS=${LSAN_OPTIONS:-suppressions=$root/fuzz/lsan.supp}

summary=$(printf '%-18s %7s %10s %8s %14s %6s  %s' target seconds runs exec/s coverage new result)
failed=0
for name in "${targets[@]}"; do
  binary=$build/fuzz/${name}_fuzz
  seeds=$root/fuzz/corpus/$name
  if [[ ! -x $binary || ! -d $seeds ]]; then
    echo "fuzz: no target $name ($binary, $seeds)" >&2
    failed=1
    continue
  fi
  corpus=$build/corpus/$name
  findings=$build/findings/$name
  mkdir -p "$corpus" "$findings"
  log=$findings/last-run.log
  echo "fuzz: $name for ${seconds}s" >&2
  start=$(date +%s)
  # shellcheck disable=SC2086  # FUZZ_ARGS is a list of flags
  "$binary" "$corpus" "$seeds" -max_total_time="$seconds" -timeout=10 -rss_limit_mb=2048 -print_final_stats=1 \
    -artifact_prefix="$findings/" ${FUZZ_ARGS:-} >"$log" 2>&1
  status=$?
  elapsed=$(($(date +%s) - start))
  runs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log" | tail -1)
  speed=$(sed -n 's/^stat::average_exec_per_sec: *//p' "$log" | tail -1)
  added=$(sed -n 's/^stat::new_units_added: *//p' "$log" | tail -1)
  cov_start=$(grep -m1 -oE 'INITED cov: [0-9]+' "$log" | grep -oE '[0-9]+$')
  cov_end=$(grep -oE '^#[0-9]+.*cov: [0-9]+' "$log" | tail -1 | grep -oE 'cov: [0-9]+' | grep -oE '[0-9]+')
  if ((status == 0)); then
    result=ok
  else
    failed=1
    artifact=$(grep -oE "Test unit written to .*" "$log" | tail -1 | sed 's/Test unit written to //')
    kind=$(grep -m1 -oE 'runtime error: .{0,60}|invariant failed: .{0,60}' "$log" ||
      grep -m1 -oE 'ERROR: (AddressSanitizer|LeakSanitizer|libFuzzer): [A-Za-z-]+( on [a-z-]+)?' "$log" ||
      echo "exit $status")
    result="FAILED ($kind) ${artifact:-see $log}"
  fi
  summary+=$'\n'$(printf '%-18s %7s %10s %8s %14s %6s  %s' "$name" "$elapsed" "${runs:-?}" "${speed:-?}" \
    "${cov_start:-?}->${cov_end:-?}" "${added:-?}" "$result")
done

echo
echo "$summary"
exit $failed
