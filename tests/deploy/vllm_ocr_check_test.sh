#!/usr/bin/env bash
# deploy/vllm-ocr/check.sh against tools/mock-llm on a free loopback port: it
# passes when the endpoint serves the model and answers text, and fails, with
# its message, when the model is not served, the answer is empty, the request
# is refused or the expected text is missing. The mock takes the vision
# request's shape but does not read the image: this tests the script, not OCR.
# Usage: vllm_ocr_check_test.sh MOCK_LLM_BINARY CHECK_SCRIPT
set -uo pipefail
mock=$1
check=$2
work=$(mktemp -d)
pid=
cleanup() {
  [[ -n $pid ]] && kill "$pid" 2>/dev/null && wait "$pid" 2>/dev/null
  rm -rf "$work"
}
trap cleanup EXIT

"$mock" --port 0 --port-file "$work/port" \
  --behaviour '{"reply": "# 客户常见问题\nRefunds are available within 30 days.", "ttft_ms": 1}' >"$work/mock.log" 2>&1 &
pid=$!
for _ in $(seq 1 100); do
  [[ -s $work/port ]] && break
  sleep 0.1
done
[[ -s $work/port ]] || { echo "mock-llm did not start: $(cat "$work/mock.log")"; exit 1; }
base="http://127.0.0.1:$(cat "$work/port")/v1"
behave() { curl -sS -o /dev/null -X POST "${base%/v1}/_mock/behaviour" -d "$1"; }

failures=0
expect() {  # expect pass|fail "what" "message part" env... -- runs check.sh
  local want=$1 what=$2 part=$3
  shift 3
  env "$@" "$check" "$base" >"$work/out" 2>&1
  local rc=$?
  if [[ $want == pass && $rc -ne 0 ]] || [[ $want == fail && $rc -ne 1 ]] || ! grep -qF -- "$part" "$work/out"; then
    echo "FAIL: $what: exit $rc, wanted $want with \"$part\":"
    sed 's/^/    /' "$work/out"
    failures=$((failures + 1))
  else
    echo "ok: $what"
  fi
}

expect pass "a page read" "check: ok: the page read" OCR_MODEL=mock OCR_EXPECT=Refunds
expect fail "a model the server does not serve" "not \"deepseek-ocr-2\"" OCR_MODEL=deepseek-ocr-2
expect fail "text the answer lacks" "does not contain \"Lumen\"" OCR_MODEL=mock OCR_EXPECT=Lumen
behave '{"reply": "  "}'
expect fail "an empty answer" "answered no text" OCR_MODEL=mock
behave '{"faults": [{"kind": "status", "status": 400, "message": "placeholder mismatch"}]}'
expect fail "a refused request" "answered HTTP 400" OCR_MODEL=mock
kill "$pid" && wait "$pid" 2>/dev/null
pid=
expect fail "no server" "nothing listens at" OCR_MODEL=mock
((failures == 0)) || { echo "$failures case(s) failed"; exit 1; }
echo "every case passed"
