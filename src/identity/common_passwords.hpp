// The common-passwords list compiled into the binary (generated from
// src/identity/common_passwords.txt by cmake/EmbedFiles.cmake).
#pragma once

#include <vector>

#include "core/embedded_file.hpp"

namespace salesboost::identity {

const std::vector<core::EmbeddedFile>& CommonPasswordFiles();

}  // namespace salesboost::identity
