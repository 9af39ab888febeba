#include "imrdesk/platform/zeroing_heap.hpp"

#include <cstdlib>
#include <cstring>

#include <malloc.h>

namespace imrdesk::platform {

void* zeroing_malloc(std::size_t size) noexcept { return std::malloc(size == 0 ? 1 : size); }

void zero_block(void* block) noexcept {
    if (block != nullptr) ::explicit_bzero(block, ::malloc_usable_size(block));
}

void zeroing_free(void* block) noexcept {
    if (block == nullptr) return;
    zero_block(block);
    std::free(block);
}

void* zeroing_realloc(void* block, std::size_t size) noexcept {
    if (block == nullptr) return zeroing_malloc(size);
    if (size == 0) {
        zeroing_free(block);
        return nullptr;
    }
    // realloc may move the block and free the old one as it is: move it here instead.
    const std::size_t old_size = ::malloc_usable_size(block);
    if (size <= old_size) return block;
    void* moved = std::malloc(size);
    if (moved == nullptr) return nullptr;
    std::memcpy(moved, block, old_size);
    zeroing_free(block);
    return moved;
}

}  // namespace imrdesk::platform
