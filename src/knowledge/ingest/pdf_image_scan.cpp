#include "knowledge/ingest/pdf_image_scan.hpp"

#include <fmt/format.h>

#include <zlib.h>

#include <algorithm>
#include <cstdint>
#include <limits>
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
  std::string text;               // kName (decoded, without '/'), kKeyword
  std::vector<std::string> keys;  // kDict, with `values` (a pair would need Value complete)
  std::vector<Value> values;      // kDict
  std::vector<Value> array;

  void Add(std::string key, Value value) {
    keys.push_back(std::move(key));
    values.push_back(std::move(value));
  }
  const Value* Find(std::string_view key) const {
    for (std::size_t i = 0; i < keys.size(); ++i) {
      if (keys[i] == key) return &values[i];
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
      v.Add(std::move(key->text), std::move(*value));
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

constexpr double kMiB = 1 << 20;

// A stream's data through the filters we read (Flate, ASCIIHex, ASCII85, none), at most `cap` bytes.
struct Decoded {
  enum class Status { kOk, kUnsupported, kTooBig, kCodec };
  Status status = Status::kOk;
  std::string filter;  // the filter not read (kUnsupported), or the image codec reached (kCodec)
  std::string data;    // kCodec: the codec's input
};

bool IsImageCodec(std::string_view filter) {
  return filter == "DCTDecode" || filter == "DCT" || filter == "JPXDecode" || filter == "JBIG2Decode" ||
         filter == "CCITTFaxDecode" || filter == "CCF";
}

std::uint32_t Big32(std::string_view b, std::size_t at) {
  return static_cast<std::uint32_t>(static_cast<unsigned char>(b[at])) << 24 |
         static_cast<std::uint32_t>(static_cast<unsigned char>(b[at + 1])) << 16 |
         static_cast<std::uint32_t>(static_cast<unsigned char>(b[at + 2])) << 8 |
         static_cast<std::uint32_t>(static_cast<unsigned char>(b[at + 3]));
}
std::uint32_t Big16(std::string_view b, std::size_t at) {
  return static_cast<std::uint32_t>(static_cast<unsigned char>(b[at])) << 8 |
         static_cast<std::uint32_t>(static_cast<unsigned char>(b[at + 1]));
}

// A picture size a codec's own header declares: what its decoder allocates, whatever the PDF says.
struct CodecSize {
  std::int64_t width = 0;
  std::int64_t height = 0;
  int components = 1;
  double bytes_per_sample = 1;
};

// JPEG: the start-of-frame segment's size, found by walking the segments from the start of the image
// (a progressive JPEG is decoded whole into memory).
std::vector<CodecSize> JpegSizes(std::string_view data) {
  std::size_t at = data.find("\xFF\xD8");
  if (at == std::string_view::npos) return {};
  at += 2;
  while (at + 4 <= data.size()) {
    if (static_cast<unsigned char>(data[at]) != 0xFF) return {};
    const auto marker = static_cast<unsigned char>(data[at + 1]);
    if (marker == 0xFF) {  // fill byte
      ++at;
      continue;
    }
    const std::uint32_t length = Big16(data, at + 2);
    const bool sof = marker >= 0xC0 && marker <= 0xCF && marker != 0xC4 && marker != 0xC8 && marker != 0xCC;
    if (sof && at + 10 <= data.size()) {
      return {{.width = Big16(data, at + 7),
               .height = Big16(data, at + 5),
               .components = static_cast<unsigned char>(data[at + 9]),
               .bytes_per_sample = 2}};  // coefficients are 16-bit
    }
    if (marker == 0xDA || marker == 0xD9) return {};  // scan data or the end before any frame
    at += 2 + length;
  }
  return {};
}

// JPEG 2000: the SIZ marker after the start of the codestream.
std::vector<CodecSize> JpxSizes(std::string_view data) {
  std::vector<CodecSize> out;
  for (std::size_t at = data.find("\xFF\x4F\xFF\x51"); at != std::string_view::npos && at + 40 < data.size();
       at = data.find("\xFF\x4F\xFF\x51", at + 4)) {
    const std::int64_t width = std::int64_t{Big32(data, at + 8)} - Big32(data, at + 16);
    const std::int64_t height = std::int64_t{Big32(data, at + 12)} - Big32(data, at + 20);
    out.push_back({.width = width,
                   .height = height,
                   .components = static_cast<int>(Big16(data, at + 40)),
                   .bytes_per_sample = 4});  // the decoder keeps 32-bit samples
  }
  return out;
}

// JBIG2 (embedded stream: segments without a file header): the page information and every region's size,
// each a bitmap the decoder allocates. An unknown page height, or segments that cannot be followed, end
// the list with a size that fails every budget.
std::vector<CodecSize> Jbig2Sizes(std::string_view data) {
  std::vector<CodecSize> out;
  constexpr CodecSize kUnknown{.width = std::int64_t{1} << 40, .height = std::int64_t{1} << 40};
  std::size_t at = 0;
  while (at + 6 <= data.size()) {
    const std::uint32_t number = Big32(data, at);
    const auto flags = static_cast<unsigned char>(data[at + 4]);
    const int type = flags & 0x3F;
    at += 5;
    std::uint32_t referred = static_cast<unsigned char>(data[at]) >> 5;
    if (referred == 7) {
      if (at + 4 > data.size()) break;
      referred = Big32(data, at) & 0x1FFFFFFF;
      at += 4 + (referred + 8) / 8;
    } else {
      at += 1;
    }
    const std::size_t reference_size = number <= 256 ? 1 : number <= 65536 ? 2 : 4;
    at += referred * reference_size + ((flags & 0x40) != 0 ? 4 : 1);
    if (at + 4 > data.size()) break;
    const std::uint32_t length = Big32(data, at);
    at += 4;
    const bool region = type == 6 || type == 7 || type == 22 || type == 23 || type == 36 || type == 38 || type == 39 ||
                        type == 40 || type == 42 || type == 43;
    if ((type == 48 || region) && at + 8 <= data.size()) {
      const std::uint32_t width = Big32(data, at);
      const std::uint32_t height = Big32(data, at + 4);
      out.push_back(height == 0xFFFFFFFF ? kUnknown : CodecSize{.width = width, .height = height});
      if (height == 0xFFFFFFFF) break;
    }
    if (length == 0xFFFFFFFF) break;  // an immediate generic region of unknown length: its size is read above
    at += length;
    if (type == 51) break;  // end of file
  }
  return out;
}

// Appends what `in` inflates to, up to `cap` bytes; false when it would be more. Damaged data ends the
// output where it breaks, as it ends the engine's.
bool Inflate(std::string_view in, std::size_t cap, std::string& out) {
  z_stream z{};
  if (inflateInit(&z) != Z_OK) return true;
  z.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(in.data()));
  z.avail_in = static_cast<uInt>(std::min<std::size_t>(in.size(), std::numeric_limits<uInt>::max()));
  char buffer[64 * 1024];
  bool within = true;
  while (true) {
    z.next_out = reinterpret_cast<Bytef*>(buffer);
    z.avail_out = sizeof buffer;
    const int status = inflate(&z, Z_NO_FLUSH);
    out.append(buffer, sizeof buffer - z.avail_out);
    if (out.size() > cap) {
      within = false;
      break;
    }
    if (status != Z_OK || (z.avail_out != 0 && z.avail_in == 0)) break;
  }
  inflateEnd(&z);
  return within;
}

void AsciiHex(std::string_view in, std::string& out) {
  int high = -1;
  for (const char c : in) {
    if (c == '>') break;
    const int v = HexValue(c);
    if (v < 0) continue;
    if (high < 0) {
      high = v;
    } else {
      out += static_cast<char>(high * 16 + v);
      high = -1;
    }
  }
  if (high >= 0) out += static_cast<char>(high * 16);
}

void Ascii85(std::string_view in, std::string& out) {
  std::uint32_t group = 0;
  int n = 0;
  for (std::size_t i = 0; i < in.size(); ++i) {
    const char c = in[i];
    if (c == '~') break;
    if (c == 'z' && n == 0) {
      out.append(4, '\0');
      continue;
    }
    if (c < '!' || c > 'u') continue;
    group = group * 85 + static_cast<std::uint32_t>(c - '!');
    if (++n == 5) {
      for (int shift = 24; shift >= 0; shift -= 8) out += static_cast<char>((group >> shift) & 0xFF);
      group = 0;
      n = 0;
    }
  }
  if (n > 1) {
    for (int k = n; k < 5; ++k) group = group * 85 + 84;
    for (int k = 0; k < n - 1; ++k) out += static_cast<char>((group >> (24 - 8 * k)) & 0xFF);
  }
}

class ImageCheck {
 public:
  ImageCheck(std::string_view bytes, const PdfImageBudget& budget)
      : bytes_(bytes), budget_(budget), objects_(FindObjects(bytes)) {}

  core::Result<void> Run() {
    // First every object's dictionary (and whether the file is encrypted: then stream data is
    // ciphertext that only the engine can read), then the checks.
    struct Stream {
      std::int64_t number = 0;
      Value dict;
      std::size_t data = 0;
    };
    std::vector<Stream> streams;
    for (const auto& [number, bodies] : objects_) {
      for (const std::size_t body : bodies) {
        auto parsed = ParseAt(body);
        if (too_deep_) {
          return core::Fail(core::ErrorCode::kInvalidArgument,
                            fmt::format("PDF: object {} is nested more than {} levels deep", number, kMaxDepth));
        }
        if (exhausted_) return core::Fail(Exhausted());
        if (!parsed.value || parsed.value->kind != Value::Kind::kDict || parsed.data == 0) continue;
        encrypted_ = encrypted_ || parsed.value->Find("Encrypt") != nullptr;  // a cross-reference stream's
        streams.push_back({number, std::move(*parsed.value), parsed.data});
      }
    }
    for (std::size_t at = bytes_.find("trailer"); at != std::string_view::npos; at = bytes_.find("trailer", at + 7)) {
      auto trailer = ParseAt(at + 7);
      if (exhausted_) return core::Fail(Exhausted());
      encrypted_ = encrypted_ || (trailer.value && trailer.value->Find("Encrypt") != nullptr);
    }
    for (const auto& stream : streams) {
      if (NameOf(stream.dict.Find("Subtype")) == "Image") {
        auto checked = CheckDeclared(fmt::format("the image in object {}", stream.number), stream.dict, false);
        if (!checked) return checked;
        if (!encrypted_ && HasImageCodec(stream.dict)) {
          if (auto codec = CheckStream(stream.number, stream.dict, stream.data); !codec) return codec;
        }
      } else if (!encrypted_) {
        if (auto checked = CheckStream(stream.number, stream.dict, stream.data); !checked) return checked;
      }
      if (exhausted_) return core::Fail(Exhausted());
    }
    return core::Ok();
  }

 private:
  struct Parsed {
    std::optional<Value> value;
    std::size_t data = 0;  // where the stream's data starts, when a stream follows; else 0
  };

  static core::Error Exhausted() {
    // Legitimate files are read about once; this many bytes means headers planted to make the check
    // itself slow.
    return core::Error{core::ErrorCode::kInvalidArgument,
                       "PDF: too many overlapping objects to check its images before decoding"};
  }

  // The value at `body`, and its stream's data if one follows. Every byte read counts against
  // `remaining_`; a parse cut short by it sets `exhausted_`.
  Parsed ParseAt(std::size_t body) {
    const std::size_t end = std::min(bytes_.size(), body + remaining_);
    Parser parser(bytes_.substr(0, end), body);
    Parsed out;
    out.value = parser.Parse();
    if (out.value && parser.Keyword("stream")) {
      std::size_t data = parser.At();
      if (data < bytes_.size() && bytes_[data] == '\r') ++data;
      if (data < bytes_.size() && bytes_[data] == '\n') ++data;
      out.data = data;
    }
    too_deep_ = too_deep_ || parser.TooDeep();
    remaining_ -= std::min(remaining_, parser.At() - body);
    if (!out.value && end < bytes_.size() && parser.At() >= end) exhausted_ = true;
    return out;
  }

  // An integer, directly or through references; nullopt when it cannot be found.
  std::optional<std::int64_t> Integer(const Value& value, int hops = 0) {
    if (value.kind == Value::Kind::kNumber) return value.integer;
    if (value.kind != Value::Kind::kRef || hops > 8) return std::nullopt;
    const auto found = objects_.find(value.integer);
    if (found == objects_.end()) return std::nullopt;
    std::optional<std::int64_t> largest;  // of all its definitions: an incremental update may change it
    for (const std::size_t body : found->second) {
      const auto target = ParseAt(body).value;
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
      if (name == "Indexed" || name == "I" || name == "Separation") return 1;
    }
    if (name == "DeviceGray" || name == "CalGray" || name == "G") return 1;
    if (name == "DeviceCMYK" || name == "CMYK") return 4;
    return 3;
  }

  // An image's declared size against the budget; an inline image's keys may be abbreviated.
  core::Result<void> CheckDeclared(const std::string& what, const Value& dict, bool is_inline) {
    auto find = [&](std::string_view key, std::string_view short_key) {
      const Value* v = dict.Find(key);
      return v == nullptr && is_inline ? dict.Find(short_key) : v;
    };
    const Value* width_value = find("Width", "W");
    const Value* height_value = find("Height", "H");
    const auto width = width_value != nullptr ? Integer(*width_value) : std::nullopt;
    const auto height = height_value != nullptr ? Integer(*height_value) : std::nullopt;
    if (!width || !height) {
      return core::Fail(core::ErrorCode::kInvalidArgument,
                        fmt::format("PDF: {} has a /Width or /Height that cannot be checked before decoding", what));
    }
    const Value* mask = find("ImageMask", "IM");
    const bool is_mask = mask != nullptr && mask->kind == Value::Kind::kKeyword && mask->text == "true";
    const Value* bits_value = find("BitsPerComponent", "BPC");
    // value_or, not a test and a dereference: g++ -O3 sees an uninitialised read in the latter.
    const std::int64_t bits = bits_value != nullptr ? Integer(*bits_value).value_or(8) : 8;
    const std::int64_t bpc = is_mask ? 1 : bits >= 1 && bits <= 16 ? bits : 8;
    const int components = is_mask ? 1 : Components(find("ColorSpace", "CS"));
    // In doubles: the declared sizes may be anything up to 2^60.
    const double pixels = static_cast<double>(std::max<std::int64_t>(*width, 0)) *
                          static_cast<double>(std::max<std::int64_t>(*height, 0));
    const double decoded = pixels * components * static_cast<double>(bpc) / 8;
    if (pixels > static_cast<double>(budget_.max_pixels)) {
      return core::Fail(core::ErrorCode::kInvalidArgument,
                        fmt::format("PDF: {} declares {}x{} pixels ({:.0f} million), over "
                                    "knowledge.max_megapixels ({})",
                                    what, *width, *height, pixels / 1e6, budget_.max_pixels / 1'000'000));
    }
    if (decoded > static_cast<double>(budget_.max_decoded_bytes)) {
      return core::Fail(
          core::ErrorCode::kInvalidArgument,
          fmt::format("PDF: {} declares {}x{} pixels that decode to {:.0f} MiB, "
                      "over knowledge.max_decoded_bytes ({} MiB)",
                      what, *width, *height, decoded / kMiB, static_cast<double>(budget_.max_decoded_bytes) / kMiB));
    }
    return core::Ok();
  }

  // A stream other than an image (page contents, forms, fonts, ...): its decoded size against the
  // budget, and the inline images in it.
  core::Result<void> CheckStream(std::int64_t number, const Value& dict, std::size_t data) {
    // Where the data ends: past both its /Length and the first "endstream", whichever the engine takes.
    // The bytes looked through count against the work budget, as parsing does.
    const std::size_t window = std::min(bytes_.size(), data + remaining_);
    std::size_t end = std::min(bytes_.substr(0, window).find("endstream", data), window);
    if (const Value* length = dict.Find("Length");
        length != nullptr && length->kind == Value::Kind::kNumber && length->integer > 0) {
      end = std::max(end, data + static_cast<std::size_t>(std::min<std::int64_t>(
                                     length->integer, static_cast<std::int64_t>(window - data))));
    }
    if (end == window && window < bytes_.size()) return core::Fail(Exhausted());
    remaining_ -= end - data;
    auto decoded = Decode(dict, bytes_.substr(data, end - data));
    if (decoded.status == Decoded::Status::kCodec) return CheckCodec(number, decoded.filter, decoded.data);
    if (decoded.status == Decoded::Status::kUnsupported) {
      return core::Fail(core::ErrorCode::kInvalidArgument,
                        fmt::format("PDF: the stream in object {} uses the {} filter, which cannot be checked before "
                                    "decoding",
                                    number, decoded.filter));
    }
    if (decoded.status == Decoded::Status::kTooBig || total_decoded_ > 4 * MaxDecoded()) {
      return core::Fail(
          core::ErrorCode::kInvalidArgument,
          fmt::format("PDF: the stream in object {} decodes past knowledge.max_decoded_bytes ({} MiB){}", number,
                      static_cast<double>(budget_.max_decoded_bytes) / kMiB,
                      decoded.status == Decoded::Status::kTooBig ? "" : ", four times over for the whole file"));
    }
    return CheckInlineImages(number, decoded.data);
  }

  static std::vector<std::string> Filters(const Value& dict) {
    std::vector<std::string> filters;
    const Value* filter = dict.Find("Filter");
    if (filter != nullptr && filter->kind == Value::Kind::kArray) {
      for (const auto& f : filter->array) filters.push_back(f.kind == Value::Kind::kName ? f.text : "(indirect)");
    } else if (filter != nullptr) {
      filters.push_back(filter->kind == Value::Kind::kName ? filter->text : "(indirect)");
    }
    return filters;
  }

  static bool HasImageCodec(const Value& dict) {
    const auto filters = Filters(dict);
    return std::any_of(filters.begin(), filters.end(), [](const std::string& f) { return IsImageCodec(f); });
  }

  // The sizes an image codec's own header declares, against the same budget (CCITT has no header: its
  // rows are drawn as the dictionary declares them).
  core::Result<void> CheckCodec(std::int64_t number, const std::string& codec, std::string_view data) {
    std::vector<CodecSize> sizes;
    if (codec == "DCTDecode" || codec == "DCT") sizes = JpegSizes(data);
    if (codec == "JPXDecode") sizes = JpxSizes(data);
    if (codec == "JBIG2Decode") sizes = Jbig2Sizes(data);
    const bool bits = codec == "JBIG2Decode";
    for (const auto& size : sizes) {
      const double pixels = static_cast<double>(std::max<std::int64_t>(size.width, 0)) *
                            static_cast<double>(std::max<std::int64_t>(size.height, 0));
      const double decoded = bits ? pixels / 8 : pixels * size.components * size.bytes_per_sample;
      if (pixels > static_cast<double>(budget_.max_pixels) ||
          decoded > static_cast<double>(budget_.max_decoded_bytes)) {
        return core::Fail(
            core::ErrorCode::kInvalidArgument,
            fmt::format("PDF: the {} data in object {} declares {}x{} pixels ({:.0f} MiB decoded), "
                        "over knowledge.max_megapixels ({}) or knowledge.max_decoded_bytes ({} MiB)",
                        codec, number, size.width, size.height, decoded / kMiB, budget_.max_pixels / 1'000'000,
                        static_cast<double>(budget_.max_decoded_bytes) / kMiB));
      }
    }
    return core::Ok();
  }

  std::size_t MaxDecoded() const {
    return static_cast<std::size_t>(std::max<std::int64_t>(budget_.max_decoded_bytes, 0));
  }

  Decoded Decode(const Value& dict, std::string_view raw) {
    const auto filters = Filters(dict);
    Decoded out;
    out.data.assign(raw.substr(0, std::min(raw.size(), MaxDecoded() + 1)));
    for (const auto& name : filters) {
      std::string next;
      if (name == "FlateDecode" || name == "Fl") {
        if (!Inflate(out.data, MaxDecoded(), next)) out.status = Decoded::Status::kTooBig;
      } else if (name == "ASCIIHexDecode" || name == "AHx") {
        AsciiHex(out.data, next);
      } else if (name == "ASCII85Decode" || name == "A85") {
        Ascii85(out.data, next);
      } else if (IsImageCodec(name)) {
        out.status = Decoded::Status::kCodec;
        out.filter = name;
      } else {
        out.status = Decoded::Status::kUnsupported;
        out.filter = name;
      }
      if (out.status != Decoded::Status::kOk) break;
      out.data = std::move(next);
    }
    if (out.status == Decoded::Status::kOk && out.data.size() > MaxDecoded()) out.status = Decoded::Status::kTooBig;
    total_decoded_ += out.data.size();
    return out;
  }

  // "BI <dict> ID": each inline image's declared size.
  core::Result<void> CheckInlineImages(std::int64_t number, std::string_view content) {
    constexpr std::size_t kMaxInlineDict = std::size_t{64} << 10;
    std::size_t budget = 2 * content.size() + kMaxInlineDict;  // bytes the dictionaries may take to read
    for (std::size_t at = content.find("BI"); at != std::string_view::npos; at = content.find("BI", at + 2)) {
      const bool starts =
          at == 0 || IsSpace(content[at - 1]) || (IsDelimiter(content[at - 1]) && content[at - 1] != '/');
      const bool ends = at + 2 >= content.size() || IsSpace(content[at + 2]) || IsDelimiter(content[at + 2]);
      if (!starts || !ends) continue;
      const std::size_t window = std::min(content.size(), at + 2 + std::min(kMaxInlineDict, budget));
      Parser parser(content.substr(0, window), at + 2);
      Value dict = Of(Value::Kind::kDict);
      bool complete = false;
      while (!parser.TooDeep()) {
        if (parser.Keyword("ID")) {
          complete = true;
          break;
        }
        auto key = parser.Parse();
        auto value = key && key->kind == Value::Kind::kName ? parser.Parse() : std::nullopt;
        if (!value) break;
        dict.Add(std::move(key->text), std::move(*value));
      }
      budget -= std::min(budget, parser.At() - at);
      if (parser.TooDeep()) {
        return core::Fail(
            core::ErrorCode::kInvalidArgument,
            fmt::format("PDF: an inline image in object {} is nested more than {} levels deep", number, kMaxDepth));
      }
      if (!complete && parser.At() >= window && window < content.size()) {
        return core::Fail(core::ErrorCode::kInvalidArgument,
                          fmt::format("PDF: an inline image in object {} cannot be checked before decoding", number));
      }
      if (!complete) continue;  // not an inline image: the engine will not draw it either
      auto checked = CheckDeclared(fmt::format("an inline image in object {}", number), dict, true);
      if (!checked) return checked;
    }
    return core::Ok();
  }

  std::string_view bytes_;
  const PdfImageBudget& budget_;
  std::map<std::int64_t, std::vector<std::size_t>> objects_;
  std::size_t remaining_ = 8 * bytes_.size() + (1u << 20);  // bytes the parses may read, all together
  std::size_t total_decoded_ = 0;                           // bytes the streams decoded to, all together
  bool encrypted_ = false;
  bool exhausted_ = false;
  bool too_deep_ = false;
};

}  // namespace

core::Result<void> CheckPdfImages(std::string_view pdf, const PdfImageBudget& budget) {
  return ImageCheck(pdf, budget).Run();
}

}  // namespace salesboost::knowledge
