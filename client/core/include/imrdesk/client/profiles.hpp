#pragma once
// Profiles: one vault each, under <data dir>/profiles/<name>/vault.db.
#include <filesystem>
#include <string>
#include <string_view>
#include <vector>

namespace imrdesk::client {

struct ProfileInfo {
    std::string name;
    std::filesystem::path vault_file;
    std::uintmax_t size_bytes = 0;
};

// Throws std::invalid_argument unless name is 1 to 64 letters, digits, spaces, '-', '_' or '.',
// not starting with '.' or a space.
void check_profile_name(std::string_view name);

[[nodiscard]] std::filesystem::path profile_dir(const std::filesystem::path& data_dir, std::string_view name);
[[nodiscard]] std::filesystem::path vault_file(const std::filesystem::path& data_dir, std::string_view name);
[[nodiscard]] std::vector<ProfileInfo> list_profiles(const std::filesystem::path& data_dir);

}  // namespace imrdesk::client
