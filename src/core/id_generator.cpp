#include "core/id_generator.hpp"

#include <sys/random.h>

#include <array>
#include <cstdint>
#include <cstring>

#include "core/check.hpp"

namespace salesboost::core {
namespace {

class RandomIdGenerator final : public IdGenerator {
 public:
  std::string Next() override {
    std::array<std::uint8_t, 16> bytes{};
    const ssize_t n = getrandom(bytes.data(), bytes.size(), 0);
    SB_CHECK(n == static_cast<ssize_t>(bytes.size()));
    static constexpr char kHex[] = "0123456789abcdef";
    std::string out(32, '0');
    for (std::size_t i = 0; i < bytes.size(); ++i) {
      out[2 * i] = kHex[bytes[i] >> 4];
      out[2 * i + 1] = kHex[bytes[i] & 0xF];
    }
    return out;
  }
};

}  // namespace

std::unique_ptr<IdGenerator> MakeRandomIdGenerator() { return std::make_unique<RandomIdGenerator>(); }

}  // namespace salesboost::core
