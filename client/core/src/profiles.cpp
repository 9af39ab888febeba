#include "imrdesk/client/profiles.hpp"

#include <algorithm>
#include <cctype>
#include <stdexcept>
#include <system_error>

namespace imrdesk::client {

void check_profile_name(std::string_view name) {
    if (name.empty() || name.size() > 64)
        throw std::invalid_argument("a profile name has 1 to 64 characters");
    if (name.front() == '.' || name.front() == ' ' || name.back() == ' ')
        throw std::invalid_argument("a profile name cannot start with '.' or start or end with a space");
    for (const char c : name) {
        const auto u = static_cast<unsigned char>(c);
        if (std::isalnum(u) == 0 && c != ' ' && c != '-' && c != '_' && c != '.')
            throw std::invalid_argument(std::string("a profile name cannot contain '") + c +
                                        "': use letters, digits, spaces, '-', '_' or '.'");
    }
}

std::filesystem::path profile_dir(const std::filesystem::path& data_dir, std::string_view name) {
    check_profile_name(name);
    return data_dir / "profiles" / std::string(name);
}

std::filesystem::path vault_file(const std::filesystem::path& data_dir, std::string_view name) {
    return profile_dir(data_dir, name) / "vault.db";
}

std::vector<ProfileInfo> list_profiles(const std::filesystem::path& data_dir) {
    std::vector<ProfileInfo> out;
    std::error_code ec;
    const auto root = data_dir / "profiles";
    if (!std::filesystem::is_directory(root, ec)) return out;
    for (const auto& entry : std::filesystem::directory_iterator(root, ec)) {
        const auto file = entry.path() / "vault.db";
        if (!std::filesystem::is_regular_file(file, ec)) continue;
        ProfileInfo info{entry.path().filename().string(), file, std::filesystem::file_size(file, ec)};
        out.push_back(std::move(info));
    }
    std::sort(out.begin(), out.end(), [](const ProfileInfo& a, const ProfileInfo& b) { return a.name < b.name; });
    return out;
}

}  // namespace imrdesk::client
