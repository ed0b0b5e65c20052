#include "infra/vector/dot_kernels.hpp"

#include <immintrin.h>

#include <algorithm>
#include <array>
#include <cmath>

namespace salesboost::infra {
namespace {

float HorizontalSum(__m128 v) {
  v = _mm_add_ps(v, _mm_movehl_ps(v, v));
  v = _mm_add_ss(v, _mm_shuffle_ps(v, v, 0x55));
  return _mm_cvtss_f32(v);
}

float FloatDotSse2(const float* a, const float* b, std::size_t n) {
  __m128 acc0 = _mm_setzero_ps();
  __m128 acc1 = _mm_setzero_ps();
  __m128 acc2 = _mm_setzero_ps();
  __m128 acc3 = _mm_setzero_ps();
  std::size_t i = 0;
  for (; i + 16 <= n; i += 16) {
    acc0 = _mm_add_ps(acc0, _mm_mul_ps(_mm_loadu_ps(a + i), _mm_loadu_ps(b + i)));
    acc1 = _mm_add_ps(acc1, _mm_mul_ps(_mm_loadu_ps(a + i + 4), _mm_loadu_ps(b + i + 4)));
    acc2 = _mm_add_ps(acc2, _mm_mul_ps(_mm_loadu_ps(a + i + 8), _mm_loadu_ps(b + i + 8)));
    acc3 = _mm_add_ps(acc3, _mm_mul_ps(_mm_loadu_ps(a + i + 12), _mm_loadu_ps(b + i + 12)));
  }
  for (; i + 4 <= n; i += 4) acc0 = _mm_add_ps(acc0, _mm_mul_ps(_mm_loadu_ps(a + i), _mm_loadu_ps(b + i)));
  float total = HorizontalSum(_mm_add_ps(_mm_add_ps(acc0, acc1), _mm_add_ps(acc2, acc3)));
  for (; i < n; ++i) total += a[i] * b[i];
  return total;
}

// GCC 12's _mm512_reduce_add_* and 512-bit extracts trip -Wuninitialized; the lanes are summed from memory.
__attribute__((target("avx512f,avx512bw"))) float SumAvx512(__m512 v) {
  alignas(64) std::array<float, 16> lanes{};
  _mm512_store_ps(lanes.data(), v);
  float total = 0;
  for (const float x : lanes) total += x;
  return total;
}

__attribute__((target("avx512f,avx512bw"))) std::int32_t SumAvx512(__m512i v) {
  alignas(64) std::array<std::int32_t, 16> lanes{};
  _mm512_store_si512(lanes.data(), v);
  std::int32_t total = 0;
  for (const std::int32_t x : lanes) total += x;
  return total;
}

__attribute__((target("avx2,fma"))) float FloatDotAvx2(const float* a, const float* b, std::size_t n) {
  __m256 acc0 = _mm256_setzero_ps();
  __m256 acc1 = _mm256_setzero_ps();
  __m256 acc2 = _mm256_setzero_ps();
  __m256 acc3 = _mm256_setzero_ps();
  std::size_t i = 0;
  for (; i + 32 <= n; i += 32) {
    acc0 = _mm256_fmadd_ps(_mm256_loadu_ps(a + i), _mm256_loadu_ps(b + i), acc0);
    acc1 = _mm256_fmadd_ps(_mm256_loadu_ps(a + i + 8), _mm256_loadu_ps(b + i + 8), acc1);
    acc2 = _mm256_fmadd_ps(_mm256_loadu_ps(a + i + 16), _mm256_loadu_ps(b + i + 16), acc2);
    acc3 = _mm256_fmadd_ps(_mm256_loadu_ps(a + i + 24), _mm256_loadu_ps(b + i + 24), acc3);
  }
  for (; i + 8 <= n; i += 8) acc0 = _mm256_fmadd_ps(_mm256_loadu_ps(a + i), _mm256_loadu_ps(b + i), acc0);
  const __m256 acc = _mm256_add_ps(_mm256_add_ps(acc0, acc1), _mm256_add_ps(acc2, acc3));
  float total = HorizontalSum(_mm_add_ps(_mm256_castps256_ps128(acc), _mm256_extractf128_ps(acc, 1)));
  for (; i < n; ++i) total += a[i] * b[i];
  return total;
}

__attribute__((target("avx512f,avx512bw"))) float FloatDotAvx512(const float* a, const float* b, std::size_t n) {
  __m512 acc0 = _mm512_setzero_ps();
  __m512 acc1 = _mm512_setzero_ps();
  __m512 acc2 = _mm512_setzero_ps();
  __m512 acc3 = _mm512_setzero_ps();
  std::size_t i = 0;
  for (; i + 64 <= n; i += 64) {
    acc0 = _mm512_fmadd_ps(_mm512_loadu_ps(a + i), _mm512_loadu_ps(b + i), acc0);
    acc1 = _mm512_fmadd_ps(_mm512_loadu_ps(a + i + 16), _mm512_loadu_ps(b + i + 16), acc1);
    acc2 = _mm512_fmadd_ps(_mm512_loadu_ps(a + i + 32), _mm512_loadu_ps(b + i + 32), acc2);
    acc3 = _mm512_fmadd_ps(_mm512_loadu_ps(a + i + 48), _mm512_loadu_ps(b + i + 48), acc3);
  }
  for (; i + 16 <= n; i += 16) acc0 = _mm512_fmadd_ps(_mm512_loadu_ps(a + i), _mm512_loadu_ps(b + i), acc0);
  if (i < n) {  // the tail under a mask
    const auto mask = static_cast<__mmask16>((1U << (n - i)) - 1U);
    acc1 = _mm512_fmadd_ps(_mm512_maskz_loadu_ps(mask, a + i), _mm512_maskz_loadu_ps(mask, b + i), acc1);
  }
  return SumAvx512(_mm512_add_ps(_mm512_add_ps(acc0, acc1), _mm512_add_ps(acc2, acc3)));
}

std::int32_t Int8DotScalar(const std::int8_t* a, const std::int8_t* b, std::size_t start, std::size_t n) {
  std::int32_t total = 0;
  for (std::size_t i = start; i < n; ++i) total += std::int32_t{a[i]} * std::int32_t{b[i]};
  return total;
}

// SSE2 has no sign extension of bytes: unpack each byte into the high half of
// a 16-bit lane, then shift it down arithmetically.
std::int32_t Int8DotSse2(const std::int8_t* a, const std::int8_t* b, std::size_t n) {
  __m128i acc = _mm_setzero_si128();
  std::size_t i = 0;
  for (; i + 16 <= n; i += 16) {
    const __m128i va = _mm_loadu_si128(reinterpret_cast<const __m128i*>(a + i));
    const __m128i vb = _mm_loadu_si128(reinterpret_cast<const __m128i*>(b + i));
    const __m128i a_lo = _mm_srai_epi16(_mm_unpacklo_epi8(va, va), 8);
    const __m128i a_hi = _mm_srai_epi16(_mm_unpackhi_epi8(va, va), 8);
    const __m128i b_lo = _mm_srai_epi16(_mm_unpacklo_epi8(vb, vb), 8);
    const __m128i b_hi = _mm_srai_epi16(_mm_unpackhi_epi8(vb, vb), 8);
    acc = _mm_add_epi32(acc, _mm_add_epi32(_mm_madd_epi16(a_lo, b_lo), _mm_madd_epi16(a_hi, b_hi)));
  }
  acc = _mm_add_epi32(acc, _mm_shuffle_epi32(acc, 0x4E));
  acc = _mm_add_epi32(acc, _mm_shuffle_epi32(acc, 0xB1));
  return _mm_cvtsi128_si32(acc) + Int8DotScalar(a, b, i, n);
}

__attribute__((target("avx2,fma"))) std::int32_t Int8DotAvx2(const std::int8_t* a, const std::int8_t* b,
                                                             std::size_t n) {
  __m256i acc0 = _mm256_setzero_si256();
  __m256i acc1 = _mm256_setzero_si256();
  std::size_t i = 0;
  for (; i + 32 <= n; i += 32) {
    const __m256i a_lo = _mm256_cvtepi8_epi16(_mm_loadu_si128(reinterpret_cast<const __m128i*>(a + i)));
    const __m256i a_hi = _mm256_cvtepi8_epi16(_mm_loadu_si128(reinterpret_cast<const __m128i*>(a + i + 16)));
    const __m256i b_lo = _mm256_cvtepi8_epi16(_mm_loadu_si128(reinterpret_cast<const __m128i*>(b + i)));
    const __m256i b_hi = _mm256_cvtepi8_epi16(_mm_loadu_si128(reinterpret_cast<const __m128i*>(b + i + 16)));
    acc0 = _mm256_add_epi32(acc0, _mm256_madd_epi16(a_lo, b_lo));
    acc1 = _mm256_add_epi32(acc1, _mm256_madd_epi16(a_hi, b_hi));
  }
  __m256i acc = _mm256_add_epi32(acc0, acc1);
  __m128i sum = _mm_add_epi32(_mm256_castsi256_si128(acc), _mm256_extracti128_si256(acc, 1));
  sum = _mm_add_epi32(sum, _mm_shuffle_epi32(sum, 0x4E));
  sum = _mm_add_epi32(sum, _mm_shuffle_epi32(sum, 0xB1));
  return _mm_cvtsi128_si32(sum) + Int8DotScalar(a, b, i, n);
}

__attribute__((target("avx512f,avx512bw"))) std::int32_t Int8DotAvx512(const std::int8_t* a, const std::int8_t* b,
                                                                       std::size_t n) {
  __m512i acc0 = _mm512_setzero_si512();
  __m512i acc1 = _mm512_setzero_si512();
  std::size_t i = 0;
  for (; i + 64 <= n; i += 64) {
    const __m512i a_lo = _mm512_cvtepi8_epi16(_mm256_loadu_si256(reinterpret_cast<const __m256i*>(a + i)));
    const __m512i a_hi = _mm512_cvtepi8_epi16(_mm256_loadu_si256(reinterpret_cast<const __m256i*>(a + i + 32)));
    const __m512i b_lo = _mm512_cvtepi8_epi16(_mm256_loadu_si256(reinterpret_cast<const __m256i*>(b + i)));
    const __m512i b_hi = _mm512_cvtepi8_epi16(_mm256_loadu_si256(reinterpret_cast<const __m256i*>(b + i + 32)));
    acc0 = _mm512_add_epi32(acc0, _mm512_madd_epi16(a_lo, b_lo));
    acc1 = _mm512_add_epi32(acc1, _mm512_madd_epi16(a_hi, b_hi));
  }
  return SumAvx512(_mm512_add_epi32(acc0, acc1)) + Int8DotScalar(a, b, i, n);
}

SimdLevel DetectSimdLevel() {
  __builtin_cpu_init();
  if (__builtin_cpu_supports("avx512f") && __builtin_cpu_supports("avx512bw")) return SimdLevel::kAvx512;
  if (__builtin_cpu_supports("avx2") && __builtin_cpu_supports("fma")) return SimdLevel::kAvx2;
  return SimdLevel::kSse2;
}

}  // namespace

SimdLevel BestSimdLevel() {
  static const SimdLevel level = DetectSimdLevel();
  return level;
}

bool IsSupported(SimdLevel level) { return static_cast<int>(level) <= static_cast<int>(BestSimdLevel()); }

std::string_view Name(SimdLevel level) {
  switch (level) {
    case SimdLevel::kSse2:
      return "sse2";
    case SimdLevel::kAvx2:
      return "avx2";
    case SimdLevel::kAvx512:
      return "avx512";
  }
  return "sse2";
}

FloatDotFn FloatDotKernel(SimdLevel level) {
  switch (level) {
    case SimdLevel::kSse2:
      return &FloatDotSse2;
    case SimdLevel::kAvx2:
      return &FloatDotAvx2;
    case SimdLevel::kAvx512:
      return &FloatDotAvx512;
  }
  return &FloatDotSse2;
}

Int8DotFn Int8DotKernel(SimdLevel level) {
  switch (level) {
    case SimdLevel::kSse2:
      return &Int8DotSse2;
    case SimdLevel::kAvx2:
      return &Int8DotAvx2;
    case SimdLevel::kAvx512:
      return &Int8DotAvx512;
  }
  return &Int8DotSse2;
}

float QuantizeInt8(const float* v, std::size_t n, std::int8_t* codes) {
  float largest = 0;
  for (std::size_t i = 0; i < n; ++i) largest = std::max(largest, std::fabs(v[i]));
  if (largest == 0) {
    std::fill(codes, codes + n, std::int8_t{0});
    return 0;
  }
  const float to_code = 127.0F / largest;
  for (std::size_t i = 0; i < n; ++i) {
    codes[i] = static_cast<std::int8_t>(std::clamp(std::lround(v[i] * to_code), -127L, 127L));
  }
  return largest / 127.0F;
}

}  // namespace salesboost::infra
