// RedisValue: one reply of the Redis server, as a plain C++ value (nil, an
// integer, a string (bulk or status), an array, or an error the server sent
// inside an array). Plain value; thread-compatible.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace salesboost::infra {

struct RedisValue {
  enum class Kind { kNil, kInteger, kString, kArray, kError };
  Kind kind = Kind::kNil;
  std::int64_t integer = 0;
  std::string text;  // kString: the bytes; kError: the server's message
  std::vector<RedisValue> elements;

  bool IsNil() const { return kind == Kind::kNil; }
  bool IsInteger() const { return kind == Kind::kInteger; }
  bool IsString() const { return kind == Kind::kString; }
  bool IsArray() const { return kind == Kind::kArray; }
  bool IsError() const { return kind == Kind::kError; }
  // The integer of an integer reply, or of a string holding one.
  std::optional<std::int64_t> AsInteger() const;
};

}  // namespace salesboost::infra
