// Whether a PDF page's text layer reads as text, judged from character
// statistics alone (no dictionary of the language needed). A layer written by
// a broken font encoding or a poor OCR pass looks like
// "ǡRelatedstudiesonperceivedusefulnessǡ": codepoints real text hardly uses
// (private use, U+FFFD, controls, rare Latin extensions), words run together
// with no spaces, Latin-1 letters and symbols in a density no language has
// (CJK text decoded as Latin-1: "Êý¾Ý±£´æ"), or Latin "words" among which no
// common function word of the European languages occurs. Such a page is read by OCR instead. Pure.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>

namespace salesboost::knowledge {

struct TextLayerStats {
  std::size_t visible = 0;           // code points other than white space
  std::size_t unusual = 0;           // private use, U+FFFD, controls, Latin Extended-B and IPA (Vietnamese,
                                     // pinyin and Romanian letters excepted)
  std::string unusual_sample;        // the first few unusual characters, for the reason
  std::size_t latin_letters = 0;     // ASCII letters
  std::size_t latin1 = 0;            // U+00A1..U+00FF: accented letters and symbols of Latin-1
  std::size_t long_run_letters = 0;  // ASCII letters in runs of 20 or more letters
  std::string longest_run;           // the longest such run
  std::size_t latin_words = 0;       // runs of ASCII letters
  std::size_t common_words = 0;      // of them, common function words (the, and, der, le, de, ...)
};

TextLayerStats MeasureTextLayer(std::string_view text);

// Empty when the text reads as text; otherwise why not, e.g.
// "garbled text layer: 9% unusual characters (ǡ, U+FFFD)".
std::string GarbledTextReason(std::string_view text);

}  // namespace salesboost::knowledge
