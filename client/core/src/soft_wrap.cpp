#include "imrdesk/client/soft_wrap.hpp"

namespace imrdesk::client {

std::string canonical_text(std::string_view text) {
    std::string out;
    out.reserve(text.size());
    for (const char c : text) {
        if (c == '\n')
            while (!out.empty() && out.back() == ' ') out.pop_back();
        out += c;
    }
    return out;
}

std::string soft_wrap(std::string_view canonical, float width, const MeasureText& measure) {
    std::string out;
    out.reserve(canonical.size() + canonical.size() / 40);
    std::size_t line_start = 0;
    while (line_start <= canonical.size()) {
        std::size_t line_end = canonical.find('\n', line_start);
        if (line_end == std::string_view::npos) line_end = canonical.size();
        std::string_view line = canonical.substr(line_start, line_end - line_start);
        // Greedy: take as many words as fit, break after the last space that fits.
        while (!line.empty() && measure(line) > width) {
            std::size_t best = std::string_view::npos;
            std::size_t space = line.find(' ');
            while (space != std::string_view::npos && space + 1 < line.size()) {
                if (measure(line.substr(0, space + 1)) > width && best != std::string_view::npos) break;
                best = space;
                space = line.find(' ', space + 1);
            }
            if (best == std::string_view::npos) break;  // one long word: leave it whole
            out.append(line.substr(0, best + 1));
            out += '\n';
            line.remove_prefix(best + 1);
        }
        out.append(line);
        if (line_end == canonical.size()) break;
        out += '\n';
        line_start = line_end + 1;
    }
    return out;
}

std::string soft_unwrap(std::string_view display) {
    std::string out;
    out.reserve(display.size());
    for (std::size_t i = 0; i < display.size(); ++i) {
        if (display[i] == '\n' && i > 0 && display[i - 1] == ' ') continue;
        out += display[i];
    }
    return out;
}

std::size_t display_to_canonical(std::string_view display, std::size_t position) {
    std::size_t canonical = 0;
    for (std::size_t i = 0; i < position && i < display.size(); ++i)
        if (!(display[i] == '\n' && i > 0 && display[i - 1] == ' ')) ++canonical;
    return canonical;
}

std::size_t canonical_to_display(std::string_view display, std::size_t canonical_position) {
    std::size_t canonical = 0;
    std::size_t i = 0;
    for (; i < display.size(); ++i) {
        const bool soft = display[i] == '\n' && i > 0 && display[i - 1] == ' ';
        if (soft) continue;
        if (canonical == canonical_position) return i;
        ++canonical;
    }
    return i;
}

}  // namespace imrdesk::client
