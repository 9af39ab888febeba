#pragma once
// One storage engine under test, driven step by step so that bench_vault can interleave the
// engines (an fsync-bound step is only comparable when the engines share the same moments of a
// shared disk). Each step returns the milliseconds it took.
#include <cstddef>

namespace imrdesk::bench {

class Engine {
public:
    virtual ~Engine() = default;
    // A fresh database holding the corpus, written in one transaction (timed: the transaction).
    virtual double import_all() = 0;
    // Reopens (untimed) and reads every record into memory (timed), checking what came back.
    virtual double read_all() = 0;
    // Updates entries [begin, begin + count) with their autosave bodies, one transaction each.
    virtual double autosave(std::size_t begin, std::size_t count) = 0;
    // Closes and removes the database.
    virtual void reset() = 0;
};

}  // namespace imrdesk::bench
