#pragma once
// The "About this IMR" form, drawn inside the section view, which owns its state.
#include <memory>

#include "view.hpp"

namespace imrdesk::ui {

struct HeaderForm;
struct HeaderFormDeleter {
    void operator()(HeaderForm* form) const noexcept;
};
using HeaderFormPtr = std::unique_ptr<HeaderForm, HeaderFormDeleter>;

void draw_header_form(const Frame& f, const client::ImrDocument& doc, HeaderFormPtr& form);

}  // namespace imrdesk::ui
