// The dense index's inner-product kernels at each instruction-set level this
// CPU supports: float32 (SSE2, AVX2 + FMA, AVX-512) and int8 codes, on
// 1024-dimensional vectors. Two working sets: one pair (in L1: the kernel's
// own speed) and 100,000 vectors visited in random order (from memory, as a
// graph search reads them).
#include <benchmark/benchmark.h>

#include <algorithm>
#include <cstdint>
#include <random>
#include <vector>

#include "infra/vector/dot_kernels.hpp"

namespace {

using salesboost::infra::FloatDotKernel;
using salesboost::infra::Int8DotKernel;
using salesboost::infra::IsSupported;
using salesboost::infra::SimdLevel;

constexpr std::size_t kDims = 1024;
constexpr std::size_t kMany = 100'000;

template <typename T>
std::vector<T> Random(std::size_t n, unsigned seed) {
  std::mt19937 random(seed);
  std::uniform_int_distribution<int> code(-127, 127);
  std::vector<T> v(n);
  for (auto& x : v) x = static_cast<T>(code(random));
  return v;
}

std::vector<std::size_t> Order(std::size_t n) {
  std::vector<std::size_t> order(n);
  for (std::size_t i = 0; i < n; ++i) order[i] = i;
  std::shuffle(order.begin(), order.end(), std::mt19937(3));
  return order;
}

void FloatDot(benchmark::State& state) {
  const auto level = static_cast<SimdLevel>(state.range(0));
  if (!IsSupported(level)) {
    state.SkipWithError("not supported by this CPU");
    return;
  }
  const auto dot = FloatDotKernel(level);
  const bool many = state.range(1) != 0;
  const auto a = Random<float>(kDims, 1);
  const auto b = Random<float>(many ? kDims * kMany : kDims, 2);
  const auto order = Order(many ? kMany : 1);
  std::size_t i = 0;
  for (auto _ : state) {
    benchmark::DoNotOptimize(dot(a.data(), b.data() + order[i] * kDims, kDims));
    if (++i == order.size()) i = 0;
  }
  state.SetBytesProcessed(static_cast<std::int64_t>(state.iterations()) * static_cast<std::int64_t>(kDims * 4));
}

void Int8Dot(benchmark::State& state) {
  const auto level = static_cast<SimdLevel>(state.range(0));
  if (!IsSupported(level)) {
    state.SkipWithError("not supported by this CPU");
    return;
  }
  const auto dot = Int8DotKernel(level);
  const bool many = state.range(1) != 0;
  const auto a = Random<std::int8_t>(kDims, 1);
  const auto b = Random<std::int8_t>(many ? kDims * kMany : kDims, 2);
  const auto order = Order(many ? kMany : 1);
  std::size_t i = 0;
  for (auto _ : state) {
    benchmark::DoNotOptimize(dot(a.data(), b.data() + order[i] * kDims, kDims));
    if (++i == order.size()) i = 0;
  }
  state.SetBytesProcessed(static_cast<std::int64_t>(state.iterations()) * static_cast<std::int64_t>(kDims));
}

// Args: level (0 SSE2, 1 AVX2, 2 AVX-512), working set (0 one pair, 1 100,000 vectors).
BENCHMARK(FloatDot)->ArgsProduct({{0, 1, 2}, {0, 1}})->ArgNames({"level", "many"});
BENCHMARK(Int8Dot)->ArgsProduct({{0, 1, 2}, {0, 1}})->ArgNames({"level", "many"});

}  // namespace

BENCHMARK_MAIN();
