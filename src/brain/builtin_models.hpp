// Classifier models shipped inside the binary (data/models/*.model).
#pragma once

#include <vector>

#include "core/embedded_file.hpp"

namespace salesboost::brain {

const std::vector<core::EmbeddedFile>& BuiltinModelFiles();

}  // namespace salesboost::brain
