#include "core/id_generator.hpp"

#include <sys/random.h>

#include <array>
#include <cerrno>
#include <cstdint>
#include <cstring>

#include "core/check.hpp"

namespace salesboost::core {
namespace {

// Kernel randomness fetched 4 KiB at a time per thread (one syscall per 256
// ids instead of one per id); the bytes are the kernel's CSPRNG output.
class RandomIdGenerator final : public IdGenerator {
 public:
  std::string Next() override {
    struct Buffer {
      std::array<std::uint8_t, 4096> bytes{};
      std::size_t used = 4096;
    };
    thread_local Buffer buffer;
    if (buffer.used + 16 > buffer.bytes.size()) {
      std::size_t filled = 0;
      while (filled < buffer.bytes.size()) {
        const ssize_t n = getrandom(buffer.bytes.data() + filled, buffer.bytes.size() - filled, 0);
        if (n < 0 && errno == EINTR) continue;
        SB_CHECK(n > 0);
        filled += static_cast<std::size_t>(n);
      }
      buffer.used = 0;
    }
    const std::uint8_t* bytes = buffer.bytes.data() + buffer.used;
    buffer.used += 16;
    static constexpr char kHex[] = "0123456789abcdef";
    std::string out(32, '0');
    for (std::size_t i = 0; i < 16; ++i) {
      out[2 * i] = kHex[bytes[i] >> 4];
      out[2 * i + 1] = kHex[bytes[i] & 0xF];
    }
    return out;
  }
};

}  // namespace

std::unique_ptr<IdGenerator> MakeRandomIdGenerator() { return std::make_unique<RandomIdGenerator>(); }

}  // namespace salesboost::core
