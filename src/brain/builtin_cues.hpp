// Cue phrase files shipped inside the binary (data/cues/*.json), read by CueRules::Builtin.
#pragma once

#include <vector>

#include "core/embedded_file.hpp"

namespace salesboost::brain {

const std::vector<core::EmbeddedFile>& BuiltinCueFiles();

}  // namespace salesboost::brain
