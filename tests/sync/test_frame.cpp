#include <doctest/doctest.h>

#include <numeric>
#include <random>

#include "imrdesk/sync/frame.hpp"

using namespace imrdesk::sync;

namespace {

Bytes payload_of(std::size_t n, std::uint8_t seed) {
    Bytes b(n);
    std::iota(b.begin(), b.end(), seed);
    return b;
}

std::vector<Bytes> drain(FrameDecoder& d) {
    std::vector<Bytes> out;
    while (auto f = d.next()) out.push_back(std::move(*f));
    return out;
}

}  // namespace

TEST_CASE("encode_frame writes a big-endian length before the payload") {
    const Bytes p{1, 2, 3};
    CHECK(encode_frame(p) == Bytes{0, 0, 0, 3, 1, 2, 3});
    CHECK(encode_frame(Bytes{}) == Bytes{0, 0, 0, 0});
    const Bytes big = payload_of(0x010203, 0);
    const Bytes f = encode_frame(big);
    CHECK(f.size() == 4 + big.size());
    CHECK(Bytes(f.begin(), f.begin() + 4) == Bytes{0, 0x01, 0x02, 0x03});
}

TEST_CASE("encode_frame refuses a payload above the maximum") {
    const Bytes p(101);
    CHECK_THROWS_AS((void)encode_frame(p, 100), FrameError);
    CHECK(encode_frame(p, 101).size() == 105);
    Bytes out{9};
    CHECK_THROWS_AS(append_frame(out, p, 100), FrameError);
    CHECK(out == Bytes{9});
}

TEST_CASE("the decoder yields frames split at every byte boundary") {
    const std::vector<Bytes> payloads{payload_of(5, 1), Bytes{}, payload_of(300, 7), payload_of(1, 9)};
    Bytes stream;
    for (const auto& p : payloads) append_frame(stream, p);
    for (std::size_t cut = 0; cut <= stream.size(); ++cut) {
        FrameDecoder d;
        d.feed(std::span(stream).first(cut));
        auto got = drain(d);
        d.feed(std::span(stream).subspan(cut));
        for (auto& f : drain(d)) got.push_back(std::move(f));
        REQUIRE(got == payloads);
        CHECK(d.partial_bytes() == 0);
    }
}

TEST_CASE("the decoder takes one byte at a time and many frames in one chunk") {
    std::vector<Bytes> payloads;
    Bytes stream;
    for (std::uint8_t i = 0; i < 200; ++i) {
        payloads.push_back(payload_of(i, i));
        append_frame(stream, payloads.back());
    }
    SUBCASE("one chunk") {
        FrameDecoder d;
        d.feed(stream);
        CHECK(d.queued_frames() == 200);
        CHECK(drain(d) == payloads);
    }
    SUBCASE("byte by byte") {
        FrameDecoder d;
        std::vector<Bytes> got;
        for (const auto b : stream) {
            d.feed(std::span(&b, 1));
            for (auto& f : drain(d)) got.push_back(std::move(f));
        }
        CHECK(got == payloads);
    }
    SUBCASE("random chunks") {
        std::mt19937 rng(42);
        for (int round = 0; round < 50; ++round) {
            FrameDecoder d;
            std::vector<Bytes> got;
            std::size_t at = 0;
            while (at < stream.size()) {
                const std::size_t n = std::min<std::size_t>(stream.size() - at, rng() % 700);
                d.feed(std::span(stream).subspan(at, n));
                at += n;
                for (auto& f : drain(d)) got.push_back(std::move(f));
            }
            CHECK(got == payloads);
        }
    }
}

TEST_CASE("an oversize length is refused from its header alone, after the frames before it") {
    FrameDecoder d(1000);
    Bytes stream = encode_frame(payload_of(10, 0));
    const Bytes hostile{0xFF, 0xFF, 0xFF, 0xFF, 1, 2, 3};
    stream.insert(stream.end(), hostile.begin(), hostile.end());
    d.feed(stream);
    CHECK(d.failed());
    auto first = d.next();
    REQUIRE(first);
    CHECK(first->size() == 10);
    try {
        (void)d.next();
        FAIL("no error");
    } catch (const FrameError& e) {
        CHECK(e.code() == FrameError::Code::Oversize);
        CHECK(e.length() == 0xFFFFFFFFu);
        CHECK(e.max_bytes() == 1000);
        CHECK(e.stream_offset() == 14);
        CHECK(std::string(e.what()).find("4294967295") != std::string::npos);
    }
    // It stays failed; more bytes are ignored.
    d.feed(encode_frame(Bytes{1}));
    CHECK_THROWS_AS((void)d.next(), FrameError);
}

TEST_CASE("the maximum is inclusive and the header can arrive in pieces") {
    FrameDecoder d(8);
    d.feed(Bytes{0, 0});
    d.feed(Bytes{0});
    CHECK_FALSE(d.next());
    CHECK(d.partial_bytes() == 3);
    d.feed(Bytes{9});
    CHECK(d.failed());
    CHECK_THROWS_AS((void)d.next(), FrameError);

    FrameDecoder ok(8);
    ok.feed(encode_frame(payload_of(8, 0)));
    CHECK(ok.next()->size() == 8);
}

TEST_CASE("a declared length is not allocated before its bytes arrive") {
    FrameDecoder d;  // 16 MiB
    d.feed(Bytes{0x00, 0xFF, 0xFF, 0xFF, 1, 2, 3, 4, 5});
    CHECK_FALSE(d.next());
    CHECK(d.partial_bytes() == 9);
    CHECK_FALSE(d.failed());
}

TEST_CASE("a truncated stream leaves a partial frame and no output") {
    const Bytes f = encode_frame(payload_of(50, 0));
    FrameDecoder d;
    d.feed(std::span(f).first(30));
    CHECK_FALSE(d.next());
    CHECK(d.partial_bytes() == 30);
}
