#!/usr/bin/env bash
# Knowledge-base benchmarks against their peers, one table row each:
# PDF text vs pdftotext -layout (100 one-column pages, 100 two-column pages; text
# alone and with headings, as ingestion reads a page), OCR vs the tesseract command
# (one clean page, chi_sim+eng), hybrid query latency and HNSW recall@10 at
# 10,000 and 100,000 child chunks of 1024-dimensional vectors.
#   bench/knowledge.sh [CHUNKS...]   (default: 10000 100000)
set -euo pipefail
cd "$(dirname "$0")/.."
export OMP_THREAD_LIMIT=1
cmake --preset release > /dev/null
cmake --build --preset release --target bench_knowledge -j "$(nproc)" > /dev/null
bin=build/release/bench/bench_knowledge
fixtures=tests/fixtures/knowledge
pdf=$(mktemp --suffix=.pdf)
columns=$(mktemp --suffix=.pdf)
trap 'rm -f "$pdf" "$columns"' EXIT
pdfunite $(for _ in $(seq 1 50); do echo "$fixtures/digital.pdf"; done) "$pdf"
pdfunite $(for _ in $(seq 1 100); do echo "$fixtures/two_column.pdf"; done) "$columns"
echo "| what | ours | peer | ratio |"
echo "|---|---|---|---|"
"$bin" pdf "$pdf" --runs 9
"$bin" pdf "$pdf" --runs 9 --headings
"$bin" pdf "$columns" --runs 9
"$bin" pdf "$columns" --runs 9 --headings
"$bin" ocr "$fixtures/scan.png" --runs 5
echo
for chunks in "${@:-10000 100000}"; do
  for n in $chunks; do "$bin" query --chunks "$n" --queries 1000; done
done
