// The demo catalogue shipped inside the binary (data/demo/*.json), imported at
// first start so that `make run` has courses to practise without any set-up.
#pragma once

#include <vector>

#include "core/embedded_file.hpp"

namespace salesboost::catalog {

const std::vector<core::EmbeddedFile>& DemoCourseFiles();

}  // namespace salesboost::catalog
