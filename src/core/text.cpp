#include "core/text.hpp"

#include <algorithm>
#include <cctype>

#include <unicode/brkiter.h>
#include <unicode/normalizer2.h>
#include <unicode/uchar.h>
#include <unicode/unistr.h>
#include <unicode/uscript.h>
#include <unicode/utf8.h>

#include <cstdint>
#include <memory>

namespace salesboost::core {
namespace {

std::string Apply(const icu::Normalizer2* normalizer, std::string_view text) {
  if (normalizer == nullptr) return std::string(text);
  UErrorCode status = U_ZERO_ERROR;
  const auto source = icu::UnicodeString::fromUTF8(icu::StringPiece(text.data(), static_cast<int32_t>(text.size())));
  const icu::UnicodeString normal = normalizer->normalize(source, status);
  if (U_FAILURE(status)) return std::string(text);
  std::string out;
  normal.toUTF8String(out);
  return out;
}

// A word break iterator for this thread. Creating one loads ICU's rules and
// dictionaries; cloning the first is cheap, and an iterator is not
// thread-safe, so each thread keeps its own.
icu::BreakIterator* WordIterator() {
  thread_local std::unique_ptr<icu::BreakIterator> iterator = [] {
    UErrorCode status = U_ZERO_ERROR;
    std::unique_ptr<icu::BreakIterator> created(icu::BreakIterator::createWordInstance(icu::Locale::getRoot(), status));
    return U_SUCCESS(status) ? std::move(created) : nullptr;
  }();
  return iterator.get();
}

bool IsHan(UChar32 c) {
  UErrorCode status = U_ZERO_ERROR;
  return uscript_getScript(c, &status) == USCRIPT_HAN;
}

enum class Piece { kSpace, kPunctuation, kHan, kWord };

Piece Classify(const icu::UnicodeString& piece) {
  bool any_letter = false;
  bool all_han = true;
  bool all_space = true;
  for (int32_t i = 0; i < piece.length();) {
    const UChar32 c = piece.char32At(i);
    i += U16_LENGTH(c);
    if (!u_isUWhiteSpace(c)) all_space = false;
    if (u_isalnum(c)) any_letter = true;
    if (!IsHan(c)) all_han = false;
  }
  if (all_space) return Piece::kSpace;
  if (!any_letter) return Piece::kPunctuation;
  return all_han ? Piece::kHan : Piece::kWord;
}

// Calls fn(piece, kind) for each segment between word boundaries.
template <typename Fn>
void ForEachSegment(std::string_view text, Fn fn) {
  const auto source = icu::UnicodeString::fromUTF8(icu::StringPiece(text.data(), static_cast<int32_t>(text.size())));
  icu::BreakIterator* it = WordIterator();
  if (it == nullptr) return;
  it->setText(source);
  int32_t start = it->first();
  for (int32_t end = it->next(); end != icu::BreakIterator::DONE; start = end, end = it->next()) {
    const icu::UnicodeString piece = source.tempSubStringBetween(start, end);
    fn(piece, Classify(piece));
  }
  it->setText(icu::UnicodeString());  // drop the reference to `source`
}

bool IsSentenceEnd(UChar32 c) {
  switch (c) {
    case U'。':
    case U'！':
    case U'？':
    case U'；':
    case U'!':
    case U'?':
    case U';':
    case U'…':
      return true;
    default:
      return false;
  }
}

bool IsCloser(UChar32 c) {
  switch (c) {
    case U'”':
    case U'’':
    case U'"':
    case U'\'':
    case U'」':
    case U'』':
    case U'）':
    case U')':
    case U'】':
    case U']':
      return true;
    default:
      return false;
  }
}

bool IsDigitAt(std::string_view text, std::size_t i) { return i < text.size() && text[i] >= '0' && text[i] <= '9'; }

void PushTrimmed(std::vector<std::string>& out, std::string_view sentence) {
  const auto first = sentence.find_first_not_of(" \t\r\n");
  if (first == std::string_view::npos) return;
  const auto last = sentence.find_last_not_of(" \t\r\n");
  out.emplace_back(sentence.substr(first, last - first + 1));
}

}  // namespace

std::string NormalizeText(std::string_view text) {
  UErrorCode status = U_ZERO_ERROR;
  const icu::Normalizer2* nfkc = icu::Normalizer2::getNFKCInstance(status);
  return Apply(U_SUCCESS(status) ? nfkc : nullptr, text);
}

std::string FoldText(std::string_view text) {
  UErrorCode status = U_ZERO_ERROR;
  const icu::Normalizer2* folding = icu::Normalizer2::getNFKCCasefoldInstance(status);
  return Apply(U_SUCCESS(status) ? folding : nullptr, text);
}

bool ContainsPhrase(std::string_view folded, std::string_view phrase) {
  if (phrase.empty() || phrase.size() > folded.size()) return false;
  // Phrases are authored data: ASCII lower-casing is enough, compared in place (no copy: rule sets
  // match hundreds of phrases a turn).
  const auto lower = [](char c) { return static_cast<char>(std::tolower(static_cast<unsigned char>(c))); };
  const auto word_byte = [](char c) { return std::isalnum(static_cast<unsigned char>(c)) != 0; };
  const bool latin = word_byte(phrase.front());
  const auto at_word_start = [&](std::size_t at) { return !latin || at == 0 || !word_byte(folded[at - 1]); };
  if (std::none_of(phrase.begin(), phrase.end(), [](char c) { return c >= 'A' && c <= 'Z'; })) {
    for (std::size_t at = folded.find(phrase); at != std::string_view::npos; at = folded.find(phrase, at + 1)) {
      if (at_word_start(at)) return true;
    }
    return false;
  }
  const char first = lower(phrase.front());
  for (std::size_t at = folded.find(first); at != std::string_view::npos && at + phrase.size() <= folded.size();
       at = folded.find(first, at + 1)) {
    std::size_t i = 1;
    while (i < phrase.size() && folded[at + i] == lower(phrase[i])) ++i;
    if (i == phrase.size() && at_word_start(at)) return true;
  }
  return false;
}

bool IsBlank(std::string_view text) {
  const auto size = static_cast<int32_t>(text.size());
  for (int32_t i = 0; i < size;) {
    UChar32 c = 0;
    U8_NEXT(text.data(), i, size, c);
    // U+200B-U+200D and U+FEFF are not white space to ICU but print as nothing.
    const bool invisible = c == 0x200B || c == 0x200C || c == 0x200D || c == 0xFEFF;
    if (!u_isUWhiteSpace(c) && !invisible) return false;
  }
  return true;
}

std::vector<std::string> SegmentWords(std::string_view text) {
  std::vector<std::string> words;
  ForEachSegment(text, [&](const icu::UnicodeString& piece, Piece kind) {
    if (kind == Piece::kSpace || kind == Piece::kPunctuation) return;
    std::string word;
    piece.toUTF8String(word);
    words.push_back(std::move(word));
  });
  return words;
}

std::vector<std::string> SplitSentences(std::string_view text) {
  std::vector<std::string> out;
  std::size_t start = 0;
  std::size_t i = 0;
  const auto size = static_cast<int32_t>(text.size());
  while (i < text.size()) {
    int32_t at = static_cast<int32_t>(i);
    UChar32 c = 0;
    U8_NEXT(text.data(), at, size, c);
    const auto next = static_cast<std::size_t>(at);
    bool end = IsSentenceEnd(c) || c == '\n';
    if (c == '.') end = !(i > 0 && IsDigitAt(text, i - 1) && IsDigitAt(text, next));  // not "3.5"
    i = next;
    if (!end) continue;
    // Further end marks and closing quotes belong to this sentence.
    while (i < text.size()) {
      at = static_cast<int32_t>(i);
      U8_NEXT(text.data(), at, size, c);
      if (!IsSentenceEnd(c) && !IsCloser(c) && c != '.') break;
      i = static_cast<std::size_t>(at);
    }
    PushTrimmed(out, text.substr(start, i - start));
    start = i;
  }
  PushTrimmed(out, text.substr(start));
  return out;
}

std::size_t CountTokens(std::string_view text) {
  std::size_t tokens = 0;
  ForEachSegment(text, [&](const icu::UnicodeString& piece, Piece kind) {
    switch (kind) {
      case Piece::kSpace:
        break;
      case Piece::kPunctuation:
        tokens += static_cast<std::size_t>(piece.countChar32());
        break;
      case Piece::kHan:
        tokens += static_cast<std::size_t>(piece.countChar32());
        break;
      case Piece::kWord: {
        std::string word;
        piece.toUTF8String(word);
        tokens += std::max<std::size_t>(1, (word.size() + 3) / 4);
        break;
      }
    }
  });
  return tokens;
}

bool ContainsHan(std::string_view text) {
  const auto* bytes = reinterpret_cast<const std::uint8_t*>(text.data());
  const auto length = static_cast<std::int32_t>(text.size());
  UErrorCode status = U_ZERO_ERROR;
  for (std::int32_t i = 0; i < length;) {
    UChar32 c = 0;
    U8_NEXT(bytes, i, length, c);
    if (c >= 0 && uscript_getScript(c, &status) == USCRIPT_HAN) return true;
  }
  return false;
}

std::vector<std::string> SplitCommaList(std::string_view text) {
  std::vector<std::string> out;
  std::size_t start = 0;
  while (start <= text.size()) {
    const auto end = std::min(text.find(',', start), text.size());
    auto item = text.substr(start, end - start);
    while (!item.empty() && item.front() == ' ') item.remove_prefix(1);
    while (!item.empty() && item.back() == ' ') item.remove_suffix(1);
    if (!item.empty()) out.emplace_back(item);
    start = end + 1;
  }
  return out;
}

}  // namespace salesboost::core
