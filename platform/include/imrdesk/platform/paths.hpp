#pragma once
// Where imrdesk keeps its files. Linux: $XDG_DATA_HOME/imrdesk (default ~/.local/share/imrdesk).
#include <filesystem>
#include <optional>

namespace imrdesk::platform {

// The data directory: override when given (--data-dir), else the platform default.
// Creates it (mode 0700) if missing. Throws std::system_error naming the path on failure.
[[nodiscard]] std::filesystem::path data_dir(const std::optional<std::filesystem::path>& override_dir);

// Creates a directory and its parents with owner-only permissions (0700).
void create_private_directory(const std::filesystem::path& dir);

// Writes a file atomically (temp file in the same directory, fsync, rename, fsync directory),
// readable by the owner only. For settings and exports; never for record plaintext.
void write_file_atomically(const std::filesystem::path& path, std::string_view bytes);

}  // namespace imrdesk::platform
