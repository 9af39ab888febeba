#pragma once
// Freed memory holds nothing: every block the programs free is zeroed first.
//
// Decrypted records pass through many buffers the code never names: std::string growth,
// nlohmann-json's parse and dump buffers, Dear ImGui's edit state, hunspell's word lists,
// OpenSSL's record buffers. Wiping each by hand misses some, and a block freed unwiped keeps its
// text in the heap until reused, where a lock cannot reach it. So the programs replace C++'s
// global operator new/delete (imrdesk_zeroing_heap, linked into imrdesk, imrdesk-cli and
// imrdesk-server) and hand these two functions to ImGui and OpenSSL: what was freed is zero,
// whoever freed it. Locking then only has to free what is live.
#include <cstddef>

namespace imrdesk::platform {

[[nodiscard]] void* zeroing_malloc(std::size_t size) noexcept;  // malloc (nullptr when out of memory)
void zeroing_free(void* block) noexcept;                          // zeroes the whole block, then frees
[[nodiscard]] void* zeroing_realloc(void* block, std::size_t size) noexcept;  // never leaves the old block unwiped
// Zeroes a block still in use (its whole usable size, not just what was asked for).
void zero_block(void* block) noexcept;

}  // namespace imrdesk::platform
