// The XML writer every piece of document text goes through.
#include <doctest/doctest.h>

#include <string>
#include <stdexcept>
#include <type_traits>

#include "imrdesk/docformats/xml_writer.hpp"

using imrdesk::docformats::make_xml_safe;
using imrdesk::docformats::Markup;
using imrdesk::docformats::UserText;
using imrdesk::docformats::UserTextFilter;
using imrdesk::docformats::XmlWriter;
using namespace std::string_literals;

namespace {

std::string element_with_text(std::string_view text, const UserTextFilter& filter = UserTextFilter{}) {
    XmlWriter xml(filter);
    xml.start("t");
    xml.text(text);
    xml.end();
    return xml.finish();
}

std::string element_with_attribute(std::string_view text) {
    XmlWriter xml;
    xml.start("t");
    xml.user_attribute("v", text);
    xml.end();
    return xml.finish();
}

}  // namespace

TEST_CASE("every XML special is escaped in text and attributes") {
    CHECK(element_with_text(R"(Tom & Jerry <b>"x" 'y'</b> > z)") ==
          "<t>Tom &amp; Jerry &lt;b&gt;&quot;x&quot; &apos;y&apos;&lt;/b&gt; &gt; z</t>");
    CHECK(element_with_attribute(R"(a&b<c>"d"'e')") == "<t v=\"a&amp;b&lt;c&gt;&quot;d&quot;&apos;e&apos;\"/>");
    // White space that a parser would normalise is written as character references.
    CHECK(element_with_text("a\tb\nc\r\nd") == "<t>a\tb\nc&#13;\nd</t>");
    CHECK(element_with_attribute("a\tb\nc\rd") == "<t v=\"a&#9;b&#10;c&#13;d\"/>");
    CHECK(element_with_text("") == "<t></t>");
}

TEST_CASE("characters XML 1.0 forbids are dropped or replaced") {
    CHECK(make_xml_safe("a\x01" "b\x08" "c\x0B" "d\x0C" "e\x1F" "f\x7F") == "abcdef\x7F");
    CHECK(make_xml_safe("nul\0byte"s) == "nulbyte");
    CHECK(make_xml_safe("tab\tnl\ncr\r") == "tab\tnl\ncr\r");
    const std::string fffd = "\xEF\xBF\xBD";
    CHECK(make_xml_safe("Caf\xE9 \xA3" "5") == "Caf" + fffd + " " + fffd + "5");    // Windows-1252
    CHECK(make_xml_safe("\xC0\xAF") == fffd + fffd);                                // overlong '/'
    CHECK(make_xml_safe("\xE0\x80\xAF") == fffd + fffd + fffd);                     // overlong
    CHECK(make_xml_safe("x\xED\xA0\x80y") == "x" + fffd + fffd + fffd + "y");       // lone surrogate U+D800
    CHECK(make_xml_safe("\xF4\x90\x80\x80") == fffd + fffd + fffd + fffd);          // past U+10FFFF
    CHECK(make_xml_safe("cut \xE2\x82") == "cut " + fffd);                          // truncated sequence: one U+FFFD
    CHECK(make_xml_safe("\xE2\x82" "A") == fffd + "A");
    CHECK(make_xml_safe("\xEF\xBF\xBE\xEF\xBF\xBF") == fffd + fffd);                // U+FFFE, U+FFFF
    CHECK(element_with_text("bell\a") == "<t>bell</t>");
}

TEST_CASE("Welsh, other scripts and emoji are kept as UTF-8") {
    const std::string text = "Gŵyn ŷ Ŵ Ŷ · Zoë · Ελένη · 李 · 🙂👩🏽‍⚕️ · \xF0\x9F\x98\x80";
    CHECK(make_xml_safe(text) == text);
    CHECK(element_with_text(text) == "<t>" + text + "</t>");
}

TEST_CASE("the text filter sees every piece of user text, never markup") {
    int calls = 0;
    const UserTextFilter pseudonymise([&calls](std::string_view text) {
        ++calls;
        std::string out(text);
        for (auto at = out.find("Gwyneth Jones"); at != std::string::npos; at = out.find("Gwyneth Jones")) {
            out.replace(at, 13, "Adult A");
        }
        return out;
    });
    XmlWriter xml(pseudonymise);
    xml.start("root");
    xml.attribute("fixed", "Gwyneth Jones");  // markup we control is not user text
    xml.user_attribute("name", "Gwyneth Jones & co");
    xml.text("Visit to Gwyneth Jones.");
    xml.raw_text(" Page ");
    xml.text(xml.filtered("Gwyneth Jones").substr(0, 5));
    xml.end();
    CHECK(xml.finish() == "<root fixed=\"Gwyneth Jones\" name=\"Adult A &amp; co\">Visit to Adult A. Page Adult</root>");
    CHECK(calls == 3);

    // The filter sees valid UTF-8, and what it returns is made safe in turn.
    const UserTextFilter hostile([](std::string_view text) { return std::string(text) + "\x01\xFF"; });
    CHECK(element_with_text("a\xFF", hostile) == "<t>a\xEF\xBF\xBD\xEF\xBF\xBD</t>");
}

TEST_CASE("user text cannot reach the raw paths") {
    // Markup is made only from literals, in a constant expression.
    static_assert(!std::is_constructible_v<Markup, std::string>);
    static_assert(!std::is_constructible_v<Markup, std::string_view>);
    static_assert(!std::is_constructible_v<Markup, const char*>);
    static_assert(std::is_constructible_v<Markup, const char (&)[4]>);
    // UserText comes only from a filter.
    static_assert(!std::is_constructible_v<UserText, std::string>);
    static_assert(!std::is_constructible_v<UserText, std::string_view>);
    static_assert(!std::is_invocable_v<decltype(&XmlWriter::raw_text), XmlWriter&, std::string>);
    static_assert(!std::is_invocable_v<decltype(&XmlWriter::raw_text), XmlWriter&, const char*>);

    const UserText text = UserTextFilter{}("ŵ\tx");
    CHECK(text.substr(0, 2).view() == "ŵ");
    CHECK(text.substr(3).view() == "x");
    CHECK_THROWS_AS((void)text.substr(1), std::out_of_range);  // inside ŵ
    CHECK_THROWS_AS((void)text.substr(0, 1), std::out_of_range);
}

TEST_CASE("the writer keeps its elements balanced") {
    XmlWriter xml;
    xml.declaration();
    xml.start("a");
    xml.attribute("n", -42LL);
    xml.start("b");
    xml.hex_attribute("fill", 0xD9A00F, 6);
    xml.end();
    xml.element("c");
    xml.number_text(7, 3);
    CHECK_THROWS_AS(xml.attribute("late", "x"), std::logic_error);
    CHECK_THROWS_AS((void)xml.finish(), std::logic_error);
    xml.end();
    CHECK_THROWS_AS(xml.end(), std::logic_error);
    CHECK(xml.finish() == "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n"
                          "<a n=\"-42\"><b fill=\"D9A00F\"/><c/>007</a>");
}
