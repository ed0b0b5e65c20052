#include "knowledge/ingest/pdf_image_scan.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <map>
#include <optional>
#include <string>
#include <utility>
#include <vector>

namespace salesboost::knowledge {
namespace {

constexpr int kMaxDepth = 256;  // arrays and dictionaries inside each other

bool IsSpace(char c) { return c == ' ' || c == '\n' || c == '\r' || c == '\t' || c == '\f' || c == '\0'; }
bool IsDelimiter(char c) {
  return c == '(' || c == ')' || c == '<' || c == '>' || c == '[' || c == ']' || c == '{' || c == '}' || c == '/' ||
         c == '%';
}
bool IsDigit(char c) { return c >= '0' && c <= '9'; }
int HexValue(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

// What the check needs of a PDF value; strings keep no content.
struct Value {
  enum class Kind { kNone, kNumber, kName, kRef, kDict, kArray, kString, kKeyword };
  Kind kind = Kind::kNone;
  std::int64_t integer = 0;  // kNumber (truncated; saturated when out of range), kRef (object number)
  bool is_integer = false;
  std::string text;  // kName (decoded, without '/'), kKeyword
  std::vector<std::pair<std::string, Value>> dict;
  std::vector<Value> array;

  const Value* Find(std::string_view key) const {
    for (const auto& [k, v] : dict) {
      if (k == key) return &v;
    }
    return nullptr;
  }
};

Value Of(Value::Kind kind) {
  Value v;
  v.kind = kind;
  return v;
}

class Parser {
 public:
  explicit Parser(std::string_view bytes, std::size_t at = 0) : bytes_(bytes), at_(at) {}

  std::size_t At() const { return at_; }
  bool TooDeep() const { return too_deep_; }

  void SkipSpace() {
    while (at_ < bytes_.size()) {
      if (IsSpace(bytes_[at_])) {
        ++at_;
      } else if (bytes_[at_] == '%') {
        while (at_ < bytes_.size() && bytes_[at_] != '\n' && bytes_[at_] != '\r') ++at_;
      } else {
        break;
      }
    }
  }

  // One value; a number followed by "G R" becomes a reference. nullopt at the end or on garbage.
  std::optional<Value> Parse(int depth = 0) {
    if (depth > kMaxDepth) {
      too_deep_ = true;
      return std::nullopt;
    }
    SkipSpace();
    if (at_ >= bytes_.size()) return std::nullopt;
    const char c = bytes_[at_];
    if (c == '/') return Name();
    if (c == '(') return LiteralString();
    if (c == '<' && Next(1) == '<') return Dict(depth);
    if (c == '<') return HexString();
    if (c == '[') return Array(depth);
    if (IsDigit(c) || c == '-' || c == '+' || c == '.') return NumberOrRef();
    if (IsDelimiter(c)) return std::nullopt;
    Value v = Of(Value::Kind::kKeyword);
    while (at_ < bytes_.size() && !IsSpace(bytes_[at_]) && !IsDelimiter(bytes_[at_])) v.text += bytes_[at_++];
    return v;
  }

  // The keyword at the cursor, if it is `word`; consumed when it is.
  bool Keyword(std::string_view word) {
    SkipSpace();
    if (bytes_.substr(at_, word.size()) != word) return false;
    const std::size_t end = at_ + word.size();
    if (end < bytes_.size() && !IsSpace(bytes_[end]) && !IsDelimiter(bytes_[end])) return false;
    at_ = end;
    return true;
  }

 private:
  char Next(std::size_t ahead) const { return at_ + ahead < bytes_.size() ? bytes_[at_ + ahead] : '\0'; }

  Value Name() {
    ++at_;
    Value v = Of(Value::Kind::kName);
    while (at_ < bytes_.size() && !IsSpace(bytes_[at_]) && !IsDelimiter(bytes_[at_])) {
      const char c = bytes_[at_];
      if (c == '#' && HexValue(Next(1)) >= 0 && HexValue(Next(2)) >= 0) {
        v.text += static_cast<char>(HexValue(Next(1)) * 16 + HexValue(Next(2)));
        at_ += 3;
      } else {
        v.text += c;
        ++at_;
      }
    }
    return v;
  }

  Value LiteralString() {
    int open = 0;
    while (at_ < bytes_.size()) {
      const char c = bytes_[at_++];
      if (c == '\\') {
        ++at_;
      } else if (c == '(') {
        ++open;
      } else if (c == ')' && --open == 0) {
        break;
      }
    }
    return Of(Value::Kind::kString);
  }

  Value HexString() {
    while (at_ < bytes_.size() && bytes_[at_] != '>') ++at_;
    ++at_;
    return Of(Value::Kind::kString);
  }

  std::optional<Value> Dict(int depth) {
    at_ += 2;
    Value v = Of(Value::Kind::kDict);
    while (true) {
      SkipSpace();
      if (at_ >= bytes_.size()) return std::nullopt;
      if (bytes_[at_] == '>' && Next(1) == '>') {
        at_ += 2;
        return v;
      }
      auto key = Parse(depth + 1);
      if (!key || key->kind != Value::Kind::kName) return std::nullopt;
      auto value = Parse(depth + 1);
      if (!value) return std::nullopt;
      v.dict.emplace_back(std::move(key->text), std::move(*value));
    }
  }

  std::optional<Value> Array(int depth) {
    ++at_;
    Value v = Of(Value::Kind::kArray);
    while (true) {
      SkipSpace();
      if (at_ >= bytes_.size()) return std::nullopt;
      if (bytes_[at_] == ']') {
        ++at_;
        return v;
      }
      auto item = Parse(depth + 1);
      if (!item) return std::nullopt;
      v.array.push_back(std::move(*item));
    }
  }

  // Digits with an optional sign and point; the integer part saturates instead of overflowing.
  Value Number() {
    Value v = Of(Value::Kind::kNumber);
    v.is_integer = true;
    bool negative = false;
    if (bytes_[at_] == '-' || bytes_[at_] == '+') negative = bytes_[at_++] == '-';
    bool fraction = false;
    while (at_ < bytes_.size() && (IsDigit(bytes_[at_]) || bytes_[at_] == '.')) {
      const char c = bytes_[at_++];
      if (c == '.') {
        fraction = true;
        v.is_integer = false;
      } else if (!fraction) {
        constexpr std::int64_t kSaturated = std::int64_t{1} << 60;
        v.integer = std::min(kSaturated, v.integer * 10 + (c - '0'));
      }
    }
    if (negative) v.integer = -v.integer;
    return v;
  }

  Value NumberOrRef() {
    Value first = Number();
    if (!first.is_integer || first.integer < 0) return first;
    // "N G R"
    const std::size_t back = at_;
    SkipSpace();
    if (at_ < bytes_.size() && IsDigit(bytes_[at_])) {
      const Value generation = Number();
      if (generation.is_integer && Keyword("R")) {
        Value ref = Of(Value::Kind::kRef);
        ref.integer = first.integer;
        return ref;
      }
    }
    at_ = back;
    return first;
  }

  std::string_view bytes_;
  std::size_t at_ = 0;
  bool too_deep_ = false;
};

// Object number -> where each of its definitions' bodies starts (after "N G obj").
std::map<std::int64_t, std::vector<std::size_t>> FindObjects(std::string_view bytes) {
  std::map<std::int64_t, std::vector<std::size_t>> objects;
  for (std::size_t at = bytes.find("obj"); at != std::string_view::npos; at = bytes.find("obj", at + 3)) {
    const std::size_t end = at + 3;
    if (end < bytes.size() && !IsSpace(bytes[end]) && !IsDelimiter(bytes[end])) continue;
    // Back over: spaces, generation digits, spaces, object digits.
    std::size_t i = at;
    auto skip_back = [&](auto pred) {
      const std::size_t from = i;
      while (i > 0 && pred(bytes[i - 1])) --i;
      return from - i;
    };
    if (skip_back(IsSpace) == 0 || skip_back(IsDigit) == 0 || skip_back(IsSpace) == 0) continue;
    const std::size_t number_end = i;
    const std::size_t digits = skip_back(IsDigit);
    if (digits == 0 || digits > 10 || (i > 0 && !IsSpace(bytes[i - 1]) && !IsDelimiter(bytes[i - 1]))) continue;
    const std::int64_t number = std::stoll(std::string(bytes.substr(i, number_end - i)));
    objects[number].push_back(end);
  }
  return objects;
}

class ImageCheck {
 public:
  ImageCheck(std::string_view bytes, const PdfImageBudget& budget)
      : bytes_(bytes), budget_(budget), objects_(FindObjects(bytes)) {}

  core::Result<void> Run() {
    for (const auto& [number, bodies] : objects_) {
      for (const std::size_t body : bodies) {
        bool stream = false;
        auto value = ParseAt(body, &stream);
        if (too_deep_) {
          return core::Fail(core::ErrorCode::kInvalidArgument,
                            fmt::format("PDF: object {} is nested more than {} levels deep", number, kMaxDepth));
        }
        if (exhausted_) break;
        if (!value || value->kind != Value::Kind::kDict || !stream) continue;
        if (auto checked = CheckImage(number, *value); !checked) return checked;
        if (exhausted_) break;
      }
      if (exhausted_) {
        // Legitimate files are read about once; this many bytes means object headers planted to make the
        // check itself slow.
        return core::Fail(core::ErrorCode::kInvalidArgument,
                          "PDF: too many overlapping objects to check its images before decoding");
      }
    }
    return core::Ok();
  }

 private:
  // An integer, directly or through references; nullopt when it cannot be found.
  std::optional<std::int64_t> Integer(const Value& value, int hops = 0) {
    if (value.kind == Value::Kind::kNumber) return value.integer;
    if (value.kind != Value::Kind::kRef || hops > 8) return std::nullopt;
    const auto found = objects_.find(value.integer);
    if (found == objects_.end()) return std::nullopt;
    std::optional<std::int64_t> largest;  // of all its definitions: an incremental update may change it
    for (const std::size_t body : found->second) {
      const auto target = ParseAt(body, nullptr);
      const auto n = target ? Integer(*target, hops + 1) : std::nullopt;
      if (!n) return std::nullopt;
      largest = std::max(largest.value_or(*n), *n);
    }
    return largest;
  }

  static std::string NameOf(const Value* value) {
    return value != nullptr && value->kind == Value::Kind::kName ? value->text : std::string();
  }

  // Components per pixel of a colour space; 3 when it cannot be told cheaply (ICC profiles are mostly RGB).
  static int Components(const Value* space) {
    std::string name = NameOf(space);
    if (space != nullptr && space->kind == Value::Kind::kArray && !space->array.empty()) {
      name = NameOf(&space->array.front());
      if (name == "Indexed" || name == "I") return 1;
      if (name == "ICCBased" || name == "Separation") return name == "Separation" ? 1 : 3;
    }
    if (name == "DeviceGray" || name == "CalGray" || name == "G") return 1;
    if (name == "DeviceCMYK" || name == "CMYK") return 4;
    return 3;
  }

  core::Result<void> CheckImage(std::int64_t number, const Value& dict) {
    if (NameOf(dict.Find("Subtype")) != "Image") return core::Ok();
    const Value* width_value = dict.Find("Width");
    const Value* height_value = dict.Find("Height");
    const auto width = width_value != nullptr ? Integer(*width_value) : std::nullopt;
    const auto height = height_value != nullptr ? Integer(*height_value) : std::nullopt;
    if (!width || !height) {
      return core::Fail(core::ErrorCode::kInvalidArgument,
                        fmt::format("PDF: the image in object {} has a /Width or /Height that cannot be checked "
                                    "before decoding",
                                    number));
    }
    const Value* mask = dict.Find("ImageMask");
    const bool is_mask = mask != nullptr && mask->kind == Value::Kind::kKeyword && mask->text == "true";
    const Value* bits_value = dict.Find("BitsPerComponent");
    const auto bits = bits_value != nullptr ? Integer(*bits_value) : std::nullopt;
    const std::int64_t bpc = is_mask ? 1 : bits && *bits >= 1 && *bits <= 16 ? *bits : 8;
    const int components = is_mask ? 1 : Components(dict.Find("ColorSpace"));
    // In doubles: the declared sizes may be anything up to 2^60.
    const double pixels = static_cast<double>(std::max<std::int64_t>(*width, 0)) *
                          static_cast<double>(std::max<std::int64_t>(*height, 0));
    const double decoded = pixels * components * static_cast<double>(bpc) / 8;
    constexpr double kMiB = 1 << 20;
    if (pixels > static_cast<double>(budget_.max_pixels)) {
      return core::Fail(core::ErrorCode::kInvalidArgument,
                        fmt::format("PDF: the image in object {} declares {}x{} pixels ({:.0f} million), over "
                                    "knowledge.max_megapixels ({})",
                                    number, *width, *height, pixels / 1e6, budget_.max_pixels / 1'000'000));
    }
    if (decoded > static_cast<double>(budget_.max_decoded_bytes)) {
      return core::Fail(
          core::ErrorCode::kInvalidArgument,
          fmt::format("PDF: the image in object {} declares {}x{} pixels that decode to {:.0f} MiB, "
                      "over knowledge.max_image_bytes ({} MiB)",
                      number, *width, *height, decoded / kMiB, static_cast<double>(budget_.max_decoded_bytes) / kMiB));
    }
    return core::Ok();
  }

  // The value whose body starts at `body`, and whether a stream follows it. Every byte read counts
  // against `remaining_`; a parse cut short by it sets `exhausted_`.
  std::optional<Value> ParseAt(std::size_t body, bool* stream) {
    const std::size_t end = std::min(bytes_.size(), body + remaining_);
    Parser parser(bytes_.substr(0, end), body);
    auto value = parser.Parse();
    const bool followed = value && stream != nullptr && parser.Keyword("stream");
    if (stream != nullptr) *stream = followed;
    too_deep_ = too_deep_ || parser.TooDeep();
    remaining_ -= std::min(remaining_, parser.At() - body);
    if (!value && end < bytes_.size() && parser.At() >= end) exhausted_ = true;
    return value;
  }

  std::string_view bytes_;
  const PdfImageBudget& budget_;
  std::map<std::int64_t, std::vector<std::size_t>> objects_;
  std::size_t remaining_ = 8 * bytes_.size() + (1u << 20);  // bytes the parses may read, all together
  bool exhausted_ = false;
  bool too_deep_ = false;
};

}  // namespace

core::Result<void> CheckPdfImages(std::string_view pdf, const PdfImageBudget& budget) {
  return ImageCheck(pdf, budget).Run();
}

}  // namespace salesboost::knowledge
