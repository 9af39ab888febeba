#pragma once
// A SQLite VFS for tests that cuts the power.
//
// A killed process leaves its writes in the page cache, so a crash test never loses them; a power
// cut does lose every write not yet synced. This VFS stands in front of SQLite's own as the
// default for its lifetime, counts every write, truncate and sync, and remembers what each
// unsynced write replaced. At a chosen point the power goes: that operation and every later I/O
// fail, as in a machine that stopped. Once every connection is closed (the process "restarted"),
// restore_power() throws away what was never synced, in reverse order; with a random generator,
// each unsynced write survives or not, as a disk writes its cache in any order. Then the files
// are exactly what a disk could hold after the cut, and the code under test reopens them.
//
// It can also fill the disk: every write fails with SQLITE_FULL until told otherwise.
#include <cstdint>
#include <limits>
#include <random>

namespace imrdesk::test {

class PowerCutVfs {
public:
    PowerCutVfs();   // registers as the default VFS
    ~PowerCutVfs();  // and gives the default back
    PowerCutVfs(const PowerCutVfs&) = delete;
    PowerCutVfs& operator=(const PowerCutVfs&) = delete;

    // The power goes at the n-th next write, truncate or sync (1: the very next one).
    void cut_after(std::uint64_t operations);
    void never_cut();  // takes back a cut that has not happened yet
    [[nodiscard]] bool power_is_off() const;
    [[nodiscard]] std::uint64_t operations() const;  // writes, truncates and syncs so far
    [[nodiscard]] std::size_t unsynced() const;      // writes and truncates not yet synced
    [[nodiscard]] std::size_t open_files() const;
    // After every connection has been closed: what was not synced is lost (all of it, or with
    // `reorder` a random part of it), and I/O works again. Throws if a file is still open.
    void restore_power(std::mt19937* reorder = nullptr);
    // While full, every write fails with SQLITE_FULL (nothing is written).
    void set_disk_full(bool full);
};

}  // namespace imrdesk::test
