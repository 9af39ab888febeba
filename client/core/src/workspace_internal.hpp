#pragma once
// What the workspace's sources share (workspace.cpp, workspace_queries.cpp): finding a stored
// record, case folding, ordering queries, checking and building record writes. Only client/core
// includes it.
#include <algorithm>
#include <string>
#include <string_view>
#include <vector>

#include "imrdesk/client/workspace.hpp"
#include "imrdesk/crypto/secure_buffer.hpp"

namespace imrdesk::client::workspace_detail {

using domain::Id;
using domain::RecordKind;
using nlohmann::json;

template <typename T>
auto find_stored(std::vector<Stored<T>>& items, const Id& id) {
    return std::find_if(items.begin(), items.end(), [&](const Stored<T>& s) { return s.id == id; });
}

inline std::string fold_case(std::string_view text) {
    std::string out(text);
    for (char& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    return out;
}

inline void sort_queries(ImrDocument& doc) {
    std::stable_sort(doc.queries.begin(), doc.queries.end(),
                     [](const auto& a, const auto& b) { return a.value.raised_at < b.value.raised_at; });
    std::stable_sort(doc.answers.begin(), doc.answers.end(),
                     [](const auto& a, const auto& b) { return a.value.answered_at < b.value.answered_at; });
}

inline std::string trimmed(std::string text) {
    const auto b = text.find_first_not_of(" \t\r\n");
    const auto e = text.find_last_not_of(" \t\r\n");
    std::string out = b == std::string::npos ? std::string() : text.substr(b, e - b + 1);
    crypto::wipe(text);
    return out;
}

inline void throw_if_invalid(std::vector<domain::Issue> issues) {
    if (domain::has_errors(issues)) {
        std::erase_if(issues, [](const domain::Issue& i) { return i.severity != domain::Severity::Error; });
        throw ValidationError(std::move(issues));
    }
}

inline RecordWrite record(const Id& id, const Id& imr, RecordKind kind, const json& body) {
    return RecordWrite{id, imr, kind, body.dump(), false};
}

}  // namespace imrdesk::client::workspace_detail
