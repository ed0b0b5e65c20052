// The data files of the built-in SearchLexicon (data/search/), embedded by
// cmake/EmbedFiles.cmake.
#pragma once

#include <vector>

#include "core/embedded_file.hpp"

namespace salesboost::knowledge {

const std::vector<core::EmbeddedFile>& SearchLexiconFiles();

}  // namespace salesboost::knowledge
