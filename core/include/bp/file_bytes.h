// Whole files as bytes and their digest, shared by the checks, the index
// builder, the server and the tools.
#pragma once

#include <filesystem>
#include <string>
#include <string_view>

#include "bp/status.h"

namespace bp {

// The bytes of `file`, unchanged. Io when it cannot be opened or read (a
// missing file, a folder, no permission); the message names the file.
Result<std::string> read_file(const std::filesystem::path& file);

// 64-bit FNV-1a of `bytes` as 16 lower-case hex digits: enough to notice a
// changed file (the index stores it per case file), not a secure digest.
std::string fnv1a_hex(std::string_view bytes);

}  // namespace bp
