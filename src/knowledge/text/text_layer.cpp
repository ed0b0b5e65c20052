#include "knowledge/text/text_layer.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cctype>

namespace salesboost::knowledge {
namespace {

// Decodes one UTF-8 sequence at `text[at]`; malformed bytes decode as U+FFFD, one byte long.
char32_t Next(std::string_view text, std::size_t& at) {
  const auto lead = static_cast<unsigned char>(text[at]);
  std::size_t n = lead < 0x80 ? 1 : lead >= 0xF0 && lead < 0xF5 ? 4 : lead >= 0xE0 ? 3 : lead >= 0xC2 ? 2 : 0;
  if (n == 0 || at + n > text.size()) {
    ++at;
    return 0xFFFD;
  }
  char32_t code = n == 1 ? lead : lead & (0x7Fu >> n);
  for (std::size_t i = 1; i < n; ++i) {
    const auto c = static_cast<unsigned char>(text[at + i]);
    if ((c & 0xC0) != 0x80) {
      ++at;
      return 0xFFFD;
    }
    code = (code << 6) | (c & 0x3Fu);
  }
  at += n;
  return code;
}

bool IsSpace(char32_t c) {
  return c == ' ' || c == '\n' || c == '\r' || c == '\t' || c == 0x3000 || c == 0xA0 || (c >= 0x2000 && c <= 0x200B);
}

bool IsUnusual(char32_t c) {
  if (c < 0x20 || (c >= 0x7F && c <= 0x9F)) return true;          // controls (white space is not asked)
  if (c == 0xFFFD || (c >= 0xFFF0 && c <= 0xFFFF)) return true;   // replacement and specials
  if ((c >= 0xE000 && c <= 0xF8FF) || c >= 0xF0000) return true;  // private use
  if (c >= 0x0180 && c <= 0x02AF) {                               // Latin Extended-B and IPA
    const bool vietnamese = c == 0x01A0 || c == 0x01A1 || c == 0x01AF || c == 0x01B0;
    const bool pinyin = c >= 0x01C4 && c <= 0x01DC;  // ǎ ǐ ǒ ǔ ǖ ǘ ǚ ǜ (and the Croatian digraphs before them)
    const bool romanian = c >= 0x0218 && c <= 0x021B;
    return !vietnamese && !pinyin && !romanian;
  }
  return false;
}

// Function words of English, German, French, Spanish, Italian, Portuguese and Dutch: prose in any of
// them has several in every hundred words.
constexpr std::string_view kCommonWords[] = {
    "a",    "an",  "and", "are",  "as",  "at",   "be",   "by",  "for", "from", "has", "have", "in",  "is",  "it",
    "of",   "on",  "or",  "that", "the", "this", "to",   "was", "we",  "with", "you", "your", "per", "our", "can",
    "will", "not", "der", "die",  "das", "und",  "ist",  "mit", "den", "zu",   "ein", "eine", "le",  "la",  "les",
    "et",   "des", "du",  "un",   "une", "est",  "pour", "el",  "los", "las",  "y",   "que",  "en",  "con", "por",
    "il",   "di",  "che", "del",  "o",   "os",   "em",   "het", "een", "van",  "de",  "op"};

bool IsCommon(std::string_view word) {
  std::string lower(word);
  std::transform(lower.begin(), lower.end(), lower.begin(), [](unsigned char c) { return std::tolower(c); });
  return std::find(std::begin(kCommonWords), std::end(kCommonWords), lower) != std::end(kCommonWords);
}

}  // namespace

TextLayerStats MeasureTextLayer(std::string_view text) {
  TextLayerStats stats;
  std::size_t samples = 0;
  std::size_t run_begin = 0;
  std::size_t run_length = 0;
  auto end_run = [&](std::size_t at) {
    if (run_length == 0) return;
    const auto run = text.substr(run_begin, at - run_begin);
    ++stats.latin_words;
    if (IsCommon(run)) ++stats.common_words;
    if (run_length >= 20) {
      stats.long_run_letters += run_length;
      if (run.size() > stats.longest_run.size()) stats.longest_run = std::string(run);
    }
    run_length = 0;
  };
  for (std::size_t at = 0; at < text.size();) {
    const std::size_t start = at;
    const char32_t c = Next(text, at);
    const bool letter = c < 0x80 && std::isalpha(static_cast<int>(c)) != 0;
    if (letter) {
      if (run_length == 0) run_begin = start;
      ++run_length;
      ++stats.latin_letters;
    } else {
      end_run(start);
    }
    if (IsSpace(c)) continue;
    ++stats.visible;
    if (c >= 0xA1 && c <= 0xFF && c != 0xD7 && c != 0xF7) ++stats.latin1;
    if (IsUnusual(c)) {
      ++stats.unusual;
      if (samples < 3) {
        const bool printable = c >= 0xA0 && c != 0xFFFD && !(c >= 0xE000 && c <= 0xF8FF) && c < 0xF0000;
        const auto shown = printable ? std::string(text.substr(start, at - start)) : fmt::format("U+{:04X}", +c);
        if (stats.unusual_sample.find(shown) == std::string::npos) {
          stats.unusual_sample += stats.unusual_sample.empty() ? shown : ", " + shown;
          ++samples;
        }
      }
    }
  }
  end_run(text.size());
  return stats;
}

std::string GarbledTextReason(std::string_view text) {
  const auto stats = MeasureTextLayer(text);
  constexpr std::size_t kMinVisible = 20;
  if (stats.visible < kMinVisible) return {};
  // Real text of any script has almost none of these; 3 in 100 is a broken font encoding.
  if (stats.unusual * 100 >= stats.visible * 3) {
    return fmt::format("garbled text layer: {}% unusual characters ({})", stats.unusual * 100 / stats.visible,
                       stats.unusual_sample);
  }
  // Accented letters are at most about a tenth of a European language's letters; bytes of a CJK
  // encoding read as Latin-1 are nearly all of them.
  if (stats.latin1 >= 20 && stats.latin1 * 10 >= (stats.latin1 + stats.latin_letters) * 3) {
    return fmt::format("garbled text layer: {}% Latin-1 letters and symbols, a text in another encoding",
                       stats.latin1 * 100 / (stats.latin1 + stats.latin_letters));
  }
  // Words of 20 letters and more are rare in any language; a third of the letters in them means the
  // spaces are missing.
  if (stats.latin_letters >= 60 && stats.long_run_letters * 3 >= stats.latin_letters) {
    const auto shown = stats.longest_run.size() > 40 ? stats.longest_run.substr(0, 40) + "..." : stats.longest_run;
    return fmt::format("garbled text layer: words run together ({}% of the letters, e.g. \"{}\")",
                       stats.long_run_letters * 100 / stats.latin_letters, shown);
  }
  // Prose has several function words in every hundred; letters shifted by a broken encoding have none.
  if (stats.latin_words >= 60 && stats.common_words * 100 < stats.latin_words) {
    return fmt::format("garbled text layer: none of {} words is a common word", stats.latin_words);
  }
  return {};
}

}  // namespace salesboost::knowledge
