// A configuration file (app::LoadConfig with --config), TOML syntax through
// validation and the cross-field checks, then `config show` of a valid one.
// The bytes go to a file of this process in the temporary directory, which
// LoadConfig reads as the server would.
#include <unistd.h>

#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <fstream>
#include <string>

#include "app/config_loader.hpp"
#include "core/check.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  static const std::filesystem::path path =
      std::filesystem::temp_directory_path() / ("salesboost-config-fuzz-" + std::to_string(getpid()) + ".toml");
  {
    std::ofstream out(path, std::ios::binary | std::ios::trunc);
    out.write(reinterpret_cast<const char*>(data), static_cast<std::streamsize>(size));
  }
  salesboost::app::ConfigInput input;
  input.file = path;
  auto loaded = salesboost::app::LoadConfig(input);
  std::error_code ec;
  std::filesystem::remove(path, ec);
  if (!loaded) {
    SB_CHECK(!loaded.error().empty());
    for (const auto& error : loaded.error()) SB_CHECK(!error.ToString().empty());
    return 0;
  }
  SB_CHECK(!salesboost::app::RenderConfig(*loaded, {}).empty());
  return 0;
}
