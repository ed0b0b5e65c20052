// Inner-product kernels for the dense index, one per instruction-set level,
// chosen at run time: the binary is built for plain x86-64 (SSE2) and uses
// AVX2 + FMA or AVX-512 (F, BW) only on a CPU that has them. Float vectors
// are compared as they are; int8 codes are a vector scaled by one float per
// vector (v ≈ scale * code, |code| <= 127). Stateless; thread-safe.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string_view>

namespace salesboost::infra {

enum class SimdLevel {
  kSse2,    // every x86-64 CPU: the portable fallback
  kAvx2,    // AVX2 + FMA
  kAvx512,  // AVX-512 F + BW
};

using FloatDotFn = float (*)(const float* a, const float* b, std::size_t n);
using Int8DotFn = std::int32_t (*)(const std::int8_t* a, const std::int8_t* b, std::size_t n);

// The best level this CPU supports (detected once).
SimdLevel BestSimdLevel();
bool IsSupported(SimdLevel level);
std::string_view Name(SimdLevel level);

// The kernel of `level` (which the caller checked with IsSupported).
FloatDotFn FloatDotKernel(SimdLevel level);
Int8DotFn Int8DotKernel(SimdLevel level);

// Writes the int8 codes of the `n` floats of `v` to `codes` and returns their
// scale: v[i] ≈ scale * codes[i], the largest |v[i]| mapped to 127 (scale 0
// for a zero vector).
float QuantizeInt8(const float* v, std::size_t n, std::int8_t* codes);

}  // namespace salesboost::infra
