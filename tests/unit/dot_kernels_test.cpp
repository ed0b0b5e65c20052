// The dispatched inner-product kernels against scalar references, on every
// instruction-set level this CPU supports (SSE2, the portable fallback, always).
#include "infra/vector/dot_kernels.hpp"

#include <gtest/gtest.h>

#include <cmath>
#include <cstdint>
#include <random>
#include <vector>

namespace {

using salesboost::infra::FloatDotKernel;
using salesboost::infra::Int8DotKernel;
using salesboost::infra::IsSupported;
using salesboost::infra::Name;
using salesboost::infra::QuantizeInt8;
using salesboost::infra::SimdLevel;

constexpr SimdLevel kLevels[] = {SimdLevel::kSse2, SimdLevel::kAvx2, SimdLevel::kAvx512};
// Lengths around each kernel's block sizes (4 to 64 lanes) and the index's 1024.
constexpr std::size_t kLengths[] = {1, 3, 4, 15, 16, 17, 31, 32, 33, 63, 64, 65, 100, 1023, 1024, 1031};

std::vector<float> Uniform(std::mt19937& random, std::size_t n) {
  std::uniform_real_distribution<float> uniform(-1, 1);
  std::vector<float> v(n);
  for (auto& x : v) x = uniform(random);
  return v;
}

std::vector<float> Unit(std::mt19937& random, std::size_t n) {
  std::normal_distribution<float> normal;
  std::vector<float> v(n);
  double norm = 0;
  for (auto& x : v) {
    x = normal(random);
    norm += double{x} * x;
  }
  for (auto& x : v) x = static_cast<float>(x / std::sqrt(norm));
  return v;
}

TEST(DotKernels, PortableLevelIsAlwaysSupported) { EXPECT_TRUE(IsSupported(SimdLevel::kSse2)); }

TEST(DotKernels, FloatKernelsMatchTheDoubleReference) {
  std::mt19937 random(11);
  for (const auto level : kLevels) {
    if (!IsSupported(level)) continue;
    const auto dot = FloatDotKernel(level);
    for (const auto n : kLengths) {
      for (int trial = 0; trial < 20; ++trial) {
        const auto a = Uniform(random, n);
        const auto b = Uniform(random, n);
        double exact = 0;
        double magnitude = 0;
        for (std::size_t i = 0; i < n; ++i) {
          exact += double{a[i]} * b[i];
          magnitude += std::fabs(double{a[i]} * b[i]);
        }
        // Float rounding: a few ulps of the sum of magnitudes.
        EXPECT_NEAR(dot(a.data(), b.data(), n), exact, 1e-6 * magnitude + 1e-7) << Name(level) << " n=" << n;
      }
    }
  }
}

TEST(DotKernels, Int8KernelsAreExact) {
  std::mt19937 random(12);
  std::uniform_int_distribution<int> code(-127, 127);
  for (const auto level : kLevels) {
    if (!IsSupported(level)) continue;
    const auto dot = Int8DotKernel(level);
    for (const auto n : kLengths) {
      for (int trial = 0; trial < 20; ++trial) {
        std::vector<std::int8_t> a(n);
        std::vector<std::int8_t> b(n);
        std::int64_t exact = 0;
        for (std::size_t i = 0; i < n; ++i) {
          a[i] = static_cast<std::int8_t>(code(random));
          b[i] = static_cast<std::int8_t>(code(random));
          exact += std::int64_t{a[i]} * b[i];
        }
        EXPECT_EQ(dot(a.data(), b.data(), n), exact) << Name(level) << " n=" << n;
      }
    }
    // The extremes: every product 127 * 127 or -127 * 127.
    const std::vector<std::int8_t> high(1024, 127);
    const std::vector<std::int8_t> low(1024, -127);
    EXPECT_EQ(dot(high.data(), high.data(), 1024), 1024 * 127 * 127) << Name(level);
    EXPECT_EQ(dot(high.data(), low.data(), 1024), -1024 * 127 * 127) << Name(level);
  }
}

TEST(DotKernels, QuantizationMapsTheLargestValueTo127AndZeroToZero) {
  const std::vector<float> v = {0.5F, -0.25F, 0.0F, -0.5F};
  std::vector<std::int8_t> codes(v.size());
  const float scale = QuantizeInt8(v.data(), v.size(), codes.data());
  EXPECT_FLOAT_EQ(scale, 0.5F / 127);
  EXPECT_EQ(codes, (std::vector<std::int8_t>{127, -64, 0, -127}));
  const std::vector<float> zero(8, 0.0F);
  std::vector<std::int8_t> zero_codes(8, 1);
  EXPECT_EQ(QuantizeInt8(zero.data(), zero.size(), zero_codes.data()), 0.0F);
  EXPECT_EQ(zero_codes, std::vector<std::int8_t>(8, 0));
}

// The quantised inner product of unit vectors against the float one: each
// code is off by at most half a step (scale / 2), which bounds the error by
// s_a/2 * sum|b| + s_b/2 * sum|a| + n * s_a * s_b / 4.
TEST(DotKernels, QuantizedDotIsWithinItsRoundingBoundOfTheFloatDot) {
  std::mt19937 random(13);
  constexpr std::size_t kDims = 1024;
  double worst = 0;
  for (const auto level : kLevels) {
    if (!IsSupported(level)) continue;
    for (int trial = 0; trial < 200; ++trial) {
      const auto a = Unit(random, kDims);
      auto b = Unit(random, kDims);
      if (trial % 2 == 0) {  // near neighbours, where the ranking matters
        for (std::size_t i = 0; i < kDims; ++i) b[i] = a[i] + 0.3F * b[i];
      }
      std::vector<std::int8_t> ca(kDims);
      std::vector<std::int8_t> cb(kDims);
      const float sa = QuantizeInt8(a.data(), kDims, ca.data());
      const float sb = QuantizeInt8(b.data(), kDims, cb.data());
      double exact = 0;
      double sum_a = 0;
      double sum_b = 0;
      for (std::size_t i = 0; i < kDims; ++i) {
        exact += double{a[i]} * b[i];
        sum_a += std::fabs(a[i]);
        sum_b += std::fabs(b[i]);
      }
      const double quantized = double{sa} * sb * Int8DotKernel(level)(ca.data(), cb.data(), kDims);
      const double bound = sa / 2 * sum_b + sb / 2 * sum_a + kDims * double{sa} * sb / 4;
      EXPECT_LE(std::fabs(quantized - exact), bound) << Name(level);
      worst = std::max(worst, std::fabs(quantized - exact));
    }
  }
  // In practice the errors cancel: far below the bound for 1024 dimensions.
  EXPECT_LT(worst, 0.01);
}

}  // namespace
