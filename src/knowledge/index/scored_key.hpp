// ScoredKey: one retriever's hit, a caller's 64-bit chunk key and its score
// (BM25 for the sparse index, similarity for a vector index). A plain value.
#pragma once

#include <cstdint>

namespace salesboost::knowledge {

struct ScoredKey {
  std::uint64_t key = 0;
  double score = 0;
};

}  // namespace salesboost::knowledge
