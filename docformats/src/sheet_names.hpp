#pragma once
// Makes sheet names Excel accepts: at most 31 characters, none of [ ] : * ? / \, not blank, not
// starting or ending with an apostrophe, not "History" (reserved), and unique without regard to
// case (Unicode case, where the C.UTF-8 locale is available; ASCII otherwise).
#include <clocale>
#include <locale.h>

#include <memory>
#include <type_traits>
#include <set>
#include <string>
#include <string_view>

namespace imrdesk::docformats::detail {

class SheetNames {
public:
    SheetNames();
    // Returns a valid, unused name as close to name (valid UTF-8) as possible, and reserves it.
    [[nodiscard]] std::string add(std::string_view name);

private:
    struct LocaleFreer {
        void operator()(locale_t locale) const noexcept;
    };
    [[nodiscard]] std::u32string fold(const std::u32string& name) const;

    std::unique_ptr<std::remove_pointer_t<locale_t>, LocaleFreer> locale_;
    std::set<std::u32string> taken_;  // folded
};

}  // namespace imrdesk::docformats::detail
