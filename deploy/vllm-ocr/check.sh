#!/usr/bin/env bash
# Checks an OCR endpoint the way SalesBoost uses it ([knowledge] ocr_provider):
#   1. GET <base>/models answers and lists the model SalesBoost will name;
#   2. one page image goes to <base>/chat/completions in the request
#      SalesBoost's VisionOcr sends (same prompt, same parts, temperature 0,
#      max_tokens 4096), and the answer must hold text.
#
# Usage: deploy/vllm-ocr/check.sh [BASE_URL]
#   BASE_URL        the provider's base_url, default $OCR_BASE_URL or http://127.0.0.1:8000/v1
# Environment:
#   OCR_MODEL       the provider's model (vLLM's --served-model-name), default deepseek-ocr-2
#   OCR_API_KEY     sent as a bearer token when set (vLLM's --api-key)
#   OCR_IMAGE       the page, default tests/fixtures/knowledge/scan.png (PNG)
#   OCR_EXPECT      when set, a text the answer must contain (e.g. a word on the page)
#   OCR_TIMEOUT_S   seconds for the OCR request, default 300 (the first one after a start is slow)
# Exit status: 0 when every step passed, 1 at the first that did not (the message says which and why).
set -uo pipefail

here=$(cd "$(dirname "$0")" && pwd)
base=${1:-${OCR_BASE_URL:-http://127.0.0.1:8000/v1}}
base=${base%/}
model=${OCR_MODEL:-deepseek-ocr-2}
image=${OCR_IMAGE:-$here/../../tests/fixtures/knowledge/scan.png}
timeout_s=${OCR_TIMEOUT_S:-300}
# What src/infra/ocr/vision_ocr.cpp sends (kPrompt); keep the two the same.
prompt=$'<image>\n<|grounding|>Convert the document to markdown.'

fail() {
  echo "check: FAIL: $*" >&2
  exit 1
}

for tool in curl python3 base64; do
  command -v "$tool" >/dev/null 2>&1 || fail "$tool is not installed"
done
[[ -r $image ]] || fail "cannot read the page image $image (set OCR_IMAGE)"

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
auth=()
[[ -n ${OCR_API_KEY:-} ]] && auth=(-H "Authorization: Bearer $OCR_API_KEY")

# 1. The server answers and serves the model.
status=$(curl -sS -o "$work/models.json" -w '%{http_code}' --max-time 10 "${auth[@]}" "$base/models" 2>"$work/curl.err")
case $? in
  0) ;;
  7) fail "nothing listens at $base (connection refused): is vllm serve running, on this host and port? Loading the model takes a few minutes after start; /v1/models answers once it is loaded." ;;
  28) fail "$base/models did not answer within 10 s: the server is busy loading or overloaded" ;;
  *) fail "cannot reach $base/models: $(cat "$work/curl.err")" ;;
esac
[[ $status == 401 ]] && fail "$base/models answered 401: the server wants an API key (set OCR_API_KEY, and api_key in [providers.<name>])"
[[ $status == 200 ]] || fail "$base/models answered HTTP $status: $(head -c 300 "$work/models.json")"
models=$(python3 -c '
import json, sys
try:
    data = json.load(open(sys.argv[1]))["data"]
    print(" ".join(m["id"] for m in data))
except (ValueError, KeyError, TypeError) as e:
    sys.exit(f"not an OpenAI model list: {e}")
' "$work/models.json") || fail "$base/models did not answer a model list"
[[ " $models " == *" $model "* ]] ||
  fail "the server serves [$models], not \"$model\": start vllm serve with --served-model-name $model, or set model = \"$models\" in [providers.<name>] (and OCR_MODEL)"
echo "check: ok: $base/models serves $model"

# 2. One page, as SalesBoost sends it.
python3 - "$image" "$model" "$prompt" >"$work/request.json" <<'EOF' || fail "cannot build the request"
import base64, json, sys
image, model, prompt = sys.argv[1:4]
with open(image, "rb") as f:
    url = "data:image/png;base64," + base64.b64encode(f.read()).decode()
json.dump({"model": model, "temperature": 0, "max_tokens": 4096, "stream": False,
           "messages": [{"role": "user", "content": [{"type": "text", "text": prompt},
                                                     {"type": "image_url", "image_url": {"url": url}}]}]}, sys.stdout)
EOF
start=$(date +%s.%N)
status=$(curl -sS -o "$work/reply.json" -w '%{http_code}' --max-time "$timeout_s" "${auth[@]}" \
  -H 'Content-Type: application/json' --data-binary @"$work/request.json" "$base/chat/completions" 2>"$work/curl.err")
case $? in
  0) ;;
  28) fail "no answer to the OCR request within $timeout_s s: a first request after start compiles and warms up (raise OCR_TIMEOUT_S once); if every request is this slow, see the README's troubleshooting" ;;
  *) fail "the OCR request failed: $(cat "$work/curl.err")" ;;
esac
seconds=$(python3 -c "import sys; print(f'{float(sys.argv[2]) - float(sys.argv[1]):.1f}')" "$start" "$(date +%s.%N)")
if [[ $status != 200 ]]; then
  body=$(head -c 600 "$work/reply.json")
  hint=""
  case $body in
    *[Pp]laceholder* | *"<image>"* | *[Pp]rompt*) hint=" (the prompt format: see the README, \"Wrong prompt format\")" ;;
    *[Mm]emory* | *OOM*) hint=" (out of memory: see the README)" ;;
    *[Ii]mage* | *multimodal* | *modalit*) hint=" (the model does not take images: is it DeepSeek-OCR-2?)" ;;
  esac
  fail "the OCR request answered HTTP $status$hint: $body"
fi
text=$(python3 -c '
import json, sys
try:
    print(json.load(open(sys.argv[1]))["choices"][0]["message"]["content"] or "")
except (ValueError, KeyError, IndexError, TypeError) as e:
    sys.exit(f"not a chat completion: {e}")
' "$work/reply.json") || fail "the OCR request did not answer a chat completion: $(head -c 300 "$work/reply.json")"
[[ -n ${text//[[:space:]]/} ]] || fail "the model answered no text for the page (SalesBoost would hand it to Tesseract)"
if [[ -n ${OCR_EXPECT:-} && $text != *"$OCR_EXPECT"* ]]; then
  fail "the answer does not contain \"$OCR_EXPECT\"; it begins: $(head -c 300 <<<"$text")"
fi
echo "check: ok: the page read in ${seconds} s, ${#text} characters; it begins:"
head -n 5 <<<"$text" | cut -c 1-120 | sed 's/^/  | /'
