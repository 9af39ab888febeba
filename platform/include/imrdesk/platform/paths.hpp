#pragma once
// Where imrdesk keeps its files. Linux: $XDG_DATA_HOME/imrdesk (default ~/.local/share/imrdesk).
#include <filesystem>
#include <optional>
#include <string>

namespace imrdesk::platform {

// The data directory: override when given (--data-dir), else the platform default.
// Creates it (mode 0700) if missing. Throws std::system_error naming the path on failure.
[[nodiscard]] std::filesystem::path data_dir(const std::optional<std::filesystem::path>& override_dir);

// Creates a directory and its parents with owner-only permissions (0700).
void create_private_directory(const std::filesystem::path& dir);

// Tightens an existing file to 0600 (a folder to 0700) when group or others may read it, as a
// file made under a loose umask or copied in by hand would be. Missing paths are left alone; a
// file owned by someone else (chmod refused) is too, since opening it will say what is wrong.
void restrict_to_owner(const std::filesystem::path& path);

// Why `path` cannot be read as a file: "no such file", "it is a folder: ...", "it is a device,
// not a file", "it is a pipe, not a file: ...", ...; empty when it is a regular file (symbolic
// links followed). For every file a user names, so /dev/zero or a FIFO never hangs or floods.
[[nodiscard]] std::string not_a_regular_file(const std::filesystem::path& path);

// Writes a file atomically (temp file in the same directory, fsync, rename, fsync directory),
// readable by the owner only. For settings and exports; never for record plaintext.
void write_file_atomically(const std::filesystem::path& path, std::string_view bytes);

}  // namespace imrdesk::platform
