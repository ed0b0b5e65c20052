#include "knowledge/index/vector_store.hpp"

#include <map>

namespace salesboost::knowledge {

std::uint32_t TermIndex(std::string_view term) {
  std::uint32_t hash = 2166136261U;
  for (const char c : term) {
    hash ^= static_cast<unsigned char>(c);
    hash *= 16777619U;
  }
  return hash;
}

SparseVector ToSparseVector(const std::vector<std::pair<std::string, float>>& weights) {
  std::map<std::uint32_t, float> merged;
  for (const auto& [term, weight] : weights) merged[TermIndex(term)] += weight;
  SparseVector out;
  out.indices.reserve(merged.size());
  out.values.reserve(merged.size());
  for (const auto& [index, value] : merged) {
    out.indices.push_back(index);
    out.values.push_back(value);
  }
  return out;
}

}  // namespace salesboost::knowledge
