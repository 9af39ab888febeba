#pragma once
// The chronology entries the lock-memory test adds to the probe's IMR so that it is large enough
// to be read in two halves and decoded on every core (client/core/src/parallel.hpp): the probe
// writes them, the test looks for them in the probe's memory.
#include <string>

namespace imrdesk::test {

inline constexpr int kBulkEntries = 800;

inline std::string bulk_entry_event(int i) {
    const std::string n = std::to_string(1000 + i).substr(1);
    return "Bulk entry " + n + " of the large probe: carer found the door unlocked and reported it " + n;
}

}  // namespace imrdesk::test
