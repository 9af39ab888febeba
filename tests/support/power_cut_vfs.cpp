#include "power_cut_vfs.hpp"

#include <algorithm>
#include <cstring>
#include <mutex>
#include <stdexcept>
#include <string>
#include <vector>

#include <fcntl.h>
#include <sqlite3.h>
#include <unistd.h>

namespace imrdesk::test {
namespace {

// A write or truncate not yet synced, with what it replaced.
struct Pending {
    std::string path;
    bool truncate = false;
    sqlite3_int64 offset = 0;  // write: where; truncate: the new size
    sqlite3_int64 old_size = 0;
    std::string old_bytes;  // write: what was in its range; truncate: what was past the new size
    std::string new_bytes;  // write: what was written
};

struct State {
    sqlite3_vfs vfs{};
    sqlite3_vfs* real = nullptr;
    sqlite3_io_methods methods{};
    mutable std::mutex mutex;
    std::vector<Pending> pending;
    std::uint64_t operations = 0;
    std::uint64_t cut_at = std::numeric_limits<std::uint64_t>::max();
    bool off = false;
    bool full = false;
    std::size_t open = 0;
};

State* g_state = nullptr;

struct File {
    sqlite3_file base;
    sqlite3_file* real;
    std::string* path;
};

sqlite3_file* real_of(sqlite3_file* f) { return reinterpret_cast<File*>(f)->real; }
const std::string& path_of(sqlite3_file* f) { return *reinterpret_cast<File*>(f)->path; }

// Counts one operation; false when the power is (now) off.
bool tick_locked() {
    if (g_state->off) return false;
    if (++g_state->operations >= g_state->cut_at) {
        g_state->off = true;
        return false;
    }
    return true;
}

sqlite3_int64 size_of(sqlite3_file* real) {
    sqlite3_int64 size = 0;
    if (real->pMethods->xFileSize(real, &size) != SQLITE_OK) return -1;
    return size;
}

std::string read_range(sqlite3_file* real, sqlite3_int64 from, sqlite3_int64 to) {
    if (to <= from) return {};
    std::string bytes(static_cast<std::size_t>(to - from), '\0');
    (void)real->pMethods->xRead(real, bytes.data(), static_cast<int>(bytes.size()), from);
    return bytes;
}

int x_close(sqlite3_file* f) {
    File* file = reinterpret_cast<File*>(f);
    const int rc = file->real->pMethods->xClose(file->real);
    delete file->path;
    file->path = nullptr;
    std::lock_guard lock(g_state->mutex);
    --g_state->open;
    return rc;
}

int x_read(sqlite3_file* f, void* out, int amount, sqlite3_int64 offset) {
    {
        std::lock_guard lock(g_state->mutex);
        if (g_state->off) return SQLITE_IOERR_READ;
    }
    return real_of(f)->pMethods->xRead(real_of(f), out, amount, offset);
}

int x_write(sqlite3_file* f, const void* data, int amount, sqlite3_int64 offset) {
    std::lock_guard lock(g_state->mutex);
    if (!tick_locked()) return SQLITE_IOERR_WRITE;
    if (g_state->full) return SQLITE_FULL;
    sqlite3_file* real = real_of(f);
    Pending p;
    p.path = path_of(f);
    p.offset = offset;
    p.old_size = size_of(real);
    if (p.old_size < 0) return SQLITE_IOERR_FSTAT;
    p.old_bytes = read_range(real, offset, std::min(p.old_size, offset + amount));
    p.new_bytes.assign(static_cast<const char*>(data), static_cast<std::size_t>(amount));
    const int rc = real->pMethods->xWrite(real, data, amount, offset);
    if (rc == SQLITE_OK) g_state->pending.push_back(std::move(p));
    return rc;
}

int x_truncate(sqlite3_file* f, sqlite3_int64 size) {
    std::lock_guard lock(g_state->mutex);
    if (!tick_locked()) return SQLITE_IOERR_TRUNCATE;
    sqlite3_file* real = real_of(f);
    Pending p;
    p.path = path_of(f);
    p.truncate = true;
    p.offset = size;
    p.old_size = size_of(real);
    if (p.old_size < 0) return SQLITE_IOERR_FSTAT;
    p.old_bytes = read_range(real, size, p.old_size);
    const int rc = real->pMethods->xTruncate(real, size);
    if (rc == SQLITE_OK) g_state->pending.push_back(std::move(p));
    return rc;
}

int x_sync(sqlite3_file* f, int flags) {
    std::lock_guard lock(g_state->mutex);
    if (!tick_locked()) return SQLITE_IOERR_FSYNC;
    // What is durable is this VFS's to say (the test models the disk), so the real fsync, slow
    // and pointless here, is not made.
    (void)flags;
    const std::string& path = path_of(f);
    std::erase_if(g_state->pending, [&](const Pending& p) { return p.path == path; });
    return SQLITE_OK;
}

int x_file_size(sqlite3_file* f, sqlite3_int64* size) {
    {
        std::lock_guard lock(g_state->mutex);
        if (g_state->off) return SQLITE_IOERR_FSTAT;
    }
    return real_of(f)->pMethods->xFileSize(real_of(f), size);
}

int x_lock(sqlite3_file* f, int level) { return real_of(f)->pMethods->xLock(real_of(f), level); }
int x_unlock(sqlite3_file* f, int level) { return real_of(f)->pMethods->xUnlock(real_of(f), level); }
int x_check_reserved(sqlite3_file* f, int* out) { return real_of(f)->pMethods->xCheckReservedLock(real_of(f), out); }
int x_file_control(sqlite3_file* f, int op, void* arg) { return real_of(f)->pMethods->xFileControl(real_of(f), op, arg); }
int x_sector_size(sqlite3_file* f) { return real_of(f)->pMethods->xSectorSize(real_of(f)); }
int x_device_characteristics(sqlite3_file* f) { return real_of(f)->pMethods->xDeviceCharacteristics(real_of(f)); }
int x_shm_map(sqlite3_file* f, int page, int size, int extend, void volatile** out) {
    return real_of(f)->pMethods->xShmMap(real_of(f), page, size, extend, out);
}
int x_shm_lock(sqlite3_file* f, int offset, int n, int flags) { return real_of(f)->pMethods->xShmLock(real_of(f), offset, n, flags); }
void x_shm_barrier(sqlite3_file* f) { real_of(f)->pMethods->xShmBarrier(real_of(f)); }
int x_shm_unmap(sqlite3_file* f, int remove) { return real_of(f)->pMethods->xShmUnmap(real_of(f), remove); }
int x_fetch(sqlite3_file* f, sqlite3_int64 offset, int amount, void** out) {
    *out = nullptr;  // no memory-mapped reads: every read goes through x_read
    (void)f, (void)offset, (void)amount;
    return SQLITE_OK;
}
int x_unfetch(sqlite3_file* f, sqlite3_int64 offset, void* p) {
    (void)f, (void)offset, (void)p;
    return SQLITE_OK;
}

int x_open(sqlite3_vfs* vfs, const char* name, sqlite3_file* f, int flags, int* out_flags) {
    State* s = static_cast<State*>(vfs->pAppData);
    {
        std::lock_guard lock(s->mutex);
        if (s->off) return SQLITE_CANTOPEN;
    }
    File* file = reinterpret_cast<File*>(f);
    file->base.pMethods = nullptr;
    file->real = reinterpret_cast<sqlite3_file*>(file + 1);
    const int rc = s->real->xOpen(s->real, name, file->real, flags, out_flags);
    if (rc != SQLITE_OK) return rc;
    file->path = new std::string(name != nullptr ? name : "");
    file->base.pMethods = &s->methods;
    std::lock_guard lock(s->mutex);
    ++s->open;
    return SQLITE_OK;
}

int x_delete(sqlite3_vfs* vfs, const char* name, int sync_dir) {
    State* s = static_cast<State*>(vfs->pAppData);
    std::lock_guard lock(s->mutex);
    if (s->off) return SQLITE_IOERR_DELETE;
    const int rc = s->real->xDelete(s->real, name, sync_dir);
    if (rc == SQLITE_OK) std::erase_if(s->pending, [&](const Pending& p) { return p.path == name; });
    return rc;
}

sqlite3_vfs* real_vfs(sqlite3_vfs* vfs) { return static_cast<State*>(vfs->pAppData)->real; }
int x_access(sqlite3_vfs* v, const char* n, int flags, int* out) { return real_vfs(v)->xAccess(real_vfs(v), n, flags, out); }
int x_full_pathname(sqlite3_vfs* v, const char* n, int size, char* out) {
    return real_vfs(v)->xFullPathname(real_vfs(v), n, size, out);
}
void* x_dl_open(sqlite3_vfs* v, const char* n) { return real_vfs(v)->xDlOpen(real_vfs(v), n); }
void x_dl_error(sqlite3_vfs* v, int n, char* out) { real_vfs(v)->xDlError(real_vfs(v), n, out); }
void (*x_dl_sym(sqlite3_vfs* v, void* h, const char* s))(void) { return real_vfs(v)->xDlSym(real_vfs(v), h, s); }
void x_dl_close(sqlite3_vfs* v, void* h) { real_vfs(v)->xDlClose(real_vfs(v), h); }
int x_randomness(sqlite3_vfs* v, int n, char* out) { return real_vfs(v)->xRandomness(real_vfs(v), n, out); }
int x_sleep(sqlite3_vfs* v, int us) { return real_vfs(v)->xSleep(real_vfs(v), us); }
int x_current_time(sqlite3_vfs* v, double* out) { return real_vfs(v)->xCurrentTime(real_vfs(v), out); }
int x_get_last_error(sqlite3_vfs* v, int n, char* out) { return real_vfs(v)->xGetLastError(real_vfs(v), n, out); }
int x_current_time_int64(sqlite3_vfs* v, sqlite3_int64* out) { return real_vfs(v)->xCurrentTimeInt64(real_vfs(v), out); }

void write_at(int fd, const std::string& bytes, sqlite3_int64 offset) {
    std::size_t done = 0;
    while (done < bytes.size()) {
        const ssize_t n = ::pwrite(fd, bytes.data() + done, bytes.size() - done, static_cast<off_t>(offset) + static_cast<off_t>(done));
        if (n <= 0) throw std::runtime_error("power_cut_vfs: cannot write back");
        done += static_cast<std::size_t>(n);
    }
}

}  // namespace

PowerCutVfs::PowerCutVfs() {
    if (g_state != nullptr) throw std::logic_error("one PowerCutVfs at a time");
    auto* s = new State;
    s->real = sqlite3_vfs_find(nullptr);
    if (s->real == nullptr || s->real->iVersion < 2) {
        delete s;
        throw std::runtime_error("power_cut_vfs: no default VFS to stand in front of");
    }
    s->methods.iVersion = 3;
    s->methods.xClose = x_close;
    s->methods.xRead = x_read;
    s->methods.xWrite = x_write;
    s->methods.xTruncate = x_truncate;
    s->methods.xSync = x_sync;
    s->methods.xFileSize = x_file_size;
    s->methods.xLock = x_lock;
    s->methods.xUnlock = x_unlock;
    s->methods.xCheckReservedLock = x_check_reserved;
    s->methods.xFileControl = x_file_control;
    s->methods.xSectorSize = x_sector_size;
    s->methods.xDeviceCharacteristics = x_device_characteristics;
    s->methods.xShmMap = x_shm_map;
    s->methods.xShmLock = x_shm_lock;
    s->methods.xShmBarrier = x_shm_barrier;
    s->methods.xShmUnmap = x_shm_unmap;
    s->methods.xFetch = x_fetch;
    s->methods.xUnfetch = x_unfetch;

    sqlite3_vfs& v = s->vfs;
    v.iVersion = 2;
    v.szOsFile = static_cast<int>(sizeof(File)) + s->real->szOsFile;
    v.mxPathname = s->real->mxPathname;
    v.zName = "imrdesk-power-cut";
    v.pAppData = s;
    v.xOpen = x_open;
    v.xDelete = x_delete;
    v.xAccess = x_access;
    v.xFullPathname = x_full_pathname;
    v.xDlOpen = x_dl_open;
    v.xDlError = x_dl_error;
    v.xDlSym = x_dl_sym;
    v.xDlClose = x_dl_close;
    v.xRandomness = x_randomness;
    v.xSleep = x_sleep;
    v.xCurrentTime = x_current_time;
    v.xGetLastError = x_get_last_error;
    v.xCurrentTimeInt64 = x_current_time_int64;
    g_state = s;
    if (sqlite3_vfs_register(&s->vfs, 1) != SQLITE_OK) {
        g_state = nullptr;
        delete s;
        throw std::runtime_error("power_cut_vfs: cannot register");
    }
}

PowerCutVfs::~PowerCutVfs() {
    sqlite3_vfs_unregister(&g_state->vfs);
    sqlite3_vfs_register(g_state->real, 1);
    delete g_state;
    g_state = nullptr;
}

void PowerCutVfs::cut_after(std::uint64_t operations) {
    std::lock_guard lock(g_state->mutex);
    g_state->cut_at = g_state->operations + std::max<std::uint64_t>(operations, 1);
}

void PowerCutVfs::never_cut() {
    std::lock_guard lock(g_state->mutex);
    g_state->cut_at = std::numeric_limits<std::uint64_t>::max();
}

bool PowerCutVfs::power_is_off() const {
    std::lock_guard lock(g_state->mutex);
    return g_state->off;
}

std::uint64_t PowerCutVfs::operations() const {
    std::lock_guard lock(g_state->mutex);
    return g_state->operations;
}

std::size_t PowerCutVfs::unsynced() const {
    std::lock_guard lock(g_state->mutex);
    return g_state->pending.size();
}

std::size_t PowerCutVfs::open_files() const {
    std::lock_guard lock(g_state->mutex);
    return g_state->open;
}

void PowerCutVfs::set_disk_full(bool full) {
    std::lock_guard lock(g_state->mutex);
    g_state->full = full;
}

void PowerCutVfs::restore_power(std::mt19937* reorder) {
    std::lock_guard lock(g_state->mutex);
    if (g_state->open != 0) throw std::logic_error("power_cut_vfs: restore_power with files still open");
    auto with_file = [](const std::string& path, auto&& action) {
        const int fd = ::open(path.c_str(), O_RDWR | O_CLOEXEC);
        if (fd < 0) return;  // deleted since: nothing to restore
        action(fd);
        ::close(fd);
    };
    const auto& pending = g_state->pending;
    // Back to what the disk held at each file's last sync ...
    for (auto it = pending.rbegin(); it != pending.rend(); ++it) {
        with_file(it->path, [&](int fd) {
            if (it->truncate) {
                if (it->offset < it->old_size) write_at(fd, it->old_bytes, it->offset);
                else if (::ftruncate(fd, static_cast<off_t>(it->old_size)) != 0) throw std::runtime_error("power_cut_vfs: truncate");
            } else {
                write_at(fd, it->old_bytes, it->offset);
                if (it->offset + static_cast<sqlite3_int64>(it->new_bytes.size()) > it->old_size &&
                    ::ftruncate(fd, static_cast<off_t>(it->old_size)) != 0)
                    throw std::runtime_error("power_cut_vfs: truncate");
            }
        });
    }
    // ... and then, when the disk reorders, some of what followed reached it anyway (in order).
    if (reorder != nullptr) {
        std::bernoulli_distribution landed(0.5);
        for (const auto& p : pending) {
            if (!landed(*reorder)) continue;
            with_file(p.path, [&](int fd) {
                if (p.truncate) {
                    if (::ftruncate(fd, static_cast<off_t>(p.offset)) != 0) throw std::runtime_error("power_cut_vfs: truncate");
                } else {
                    write_at(fd, p.new_bytes, p.offset);
                }
            });
        }
    }
    g_state->pending.clear();
    g_state->off = false;
    g_state->full = false;
    g_state->cut_at = std::numeric_limits<std::uint64_t>::max();
}

}  // namespace imrdesk::test
