#pragma once
// Which backend a store or server test runs on. SQLite in the test's own folder by default; when
// IMRDESK_TEST_POSTGRES names a cluster (ctest runs the store, security, limits, review and
// access suites a second time so, on a throwaway cluster of scripts/pg-cluster.sh), a fresh
// schema of its own in that cluster's database. Only for test files.
#include <cstdlib>
#include <filesystem>
#include <stdexcept>
#include <string>

#include "imrdesk/sync/server/store.hpp"
#include "postgres_cluster.hpp"
#include "temp_dir.hpp"

namespace imrdesk::test {

inline bool on_postgres() {
    const char* uri = std::getenv("IMRDESK_TEST_POSTGRES");
    return uri != nullptr && *uri != '\0';
}

// A new, empty store location for one test.
inline sync::server::StoreLocation fresh_store(const TempDir& dir) {
    if (!on_postgres()) return sync::server::StoreLocation::sqlite(dir / "store.db");
    return {sync::server::StoreLocation::Kind::Postgres, postgres_fresh_schema(std::getenv("IMRDESK_TEST_POSTGRES"))};
}

}  // namespace imrdesk::test
