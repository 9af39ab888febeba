// Replaces C++'s global allocation functions in the programs that link imrdesk_zeroing_heap, so
// that every block freed with delete (by this code, libstdc++, nlohmann-json, hunspell ...) is
// zeroed first. See imrdesk/platform/zeroing_heap.hpp.
#include <cstdlib>
#include <new>

#include "imrdesk/platform/zeroing_heap.hpp"

namespace {

void* allocate(std::size_t size) {
    for (;;) {
        if (void* block = std::malloc(size == 0 ? 1 : size)) return block;
        const std::new_handler handler = std::get_new_handler();
        if (handler == nullptr) throw std::bad_alloc();
        handler();
    }
}

void* allocate_aligned(std::size_t size, std::align_val_t alignment) {
    const auto align = static_cast<std::size_t>(alignment);
    for (;;) {
        void* block = nullptr;
        if (::posix_memalign(&block, align < sizeof(void*) ? sizeof(void*) : align, size == 0 ? 1 : size) == 0)
            return block;
        const std::new_handler handler = std::get_new_handler();
        if (handler == nullptr) throw std::bad_alloc();
        handler();
    }
}

template <class F>
void* nothrow(F&& f) noexcept {
    try {
        return f();
    } catch (...) {
        return nullptr;
    }
}

}  // namespace

using imrdesk::platform::zeroing_free;

void* operator new(std::size_t size) { return allocate(size); }
void* operator new[](std::size_t size) { return allocate(size); }
void* operator new(std::size_t size, const std::nothrow_t&) noexcept {
    return nothrow([&] { return allocate(size); });
}
void* operator new[](std::size_t size, const std::nothrow_t&) noexcept {
    return nothrow([&] { return allocate(size); });
}
void* operator new(std::size_t size, std::align_val_t alignment) { return allocate_aligned(size, alignment); }
void* operator new[](std::size_t size, std::align_val_t alignment) { return allocate_aligned(size, alignment); }
void* operator new(std::size_t size, std::align_val_t alignment, const std::nothrow_t&) noexcept {
    return nothrow([&] { return allocate_aligned(size, alignment); });
}
void* operator new[](std::size_t size, std::align_val_t alignment, const std::nothrow_t&) noexcept {
    return nothrow([&] { return allocate_aligned(size, alignment); });
}

void operator delete(void* block) noexcept { zeroing_free(block); }
void operator delete[](void* block) noexcept { zeroing_free(block); }
void operator delete(void* block, std::size_t) noexcept { zeroing_free(block); }
void operator delete[](void* block, std::size_t) noexcept { zeroing_free(block); }
void operator delete(void* block, const std::nothrow_t&) noexcept { zeroing_free(block); }
void operator delete[](void* block, const std::nothrow_t&) noexcept { zeroing_free(block); }
void operator delete(void* block, std::align_val_t) noexcept { zeroing_free(block); }
void operator delete[](void* block, std::align_val_t) noexcept { zeroing_free(block); }
void operator delete(void* block, std::size_t, std::align_val_t) noexcept { zeroing_free(block); }
void operator delete[](void* block, std::size_t, std::align_val_t) noexcept { zeroing_free(block); }
void operator delete(void* block, std::align_val_t, const std::nothrow_t&) noexcept { zeroing_free(block); }
void operator delete[](void* block, std::align_val_t, const std::nothrow_t&) noexcept { zeroing_free(block); }
