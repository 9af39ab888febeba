#pragma once
// Which backend a store or server test runs on. SQLite in the test's own folder by default; when
// IMRDESK_TEST_POSTGRES names a cluster (ctest runs the store, security, limits, review and
// access suites a second time so, on a throwaway cluster of scripts/pg-cluster.sh), a fresh
// schema of its own in that cluster's database. Only for test files.
#include <libpq-fe.h>

#include <cstdlib>
#include <filesystem>
#include <stdexcept>
#include <string>

#include "imrdesk/crypto/hash.hpp"
#include "imrdesk/sync/digest.hpp"
#include "imrdesk/sync/server/store.hpp"
#include "temp_dir.hpp"

namespace imrdesk::test {

inline bool on_postgres() {
    const char* uri = std::getenv("IMRDESK_TEST_POSTGRES");
    return uri != nullptr && *uri != '\0';
}

// Runs one statement on the test cluster (throws with PostgreSQL's message).
inline void postgres_exec(const std::string& uri, const std::string& sql) {
    PGconn* conn = PQconnectdb(uri.c_str());
    if (PQstatus(conn) != CONNECTION_OK) {
        const std::string why = PQerrorMessage(conn);
        PQfinish(conn);
        throw std::runtime_error("the test PostgreSQL cluster at " + uri + " is not reachable: " + why);
    }
    PGresult* r = PQexec(conn, sql.c_str());
    const bool ok = PQresultStatus(r) == PGRES_COMMAND_OK || PQresultStatus(r) == PGRES_TUPLES_OK;
    const std::string why = PQresultErrorMessage(r);
    PQclear(r);
    PQfinish(conn);
    if (!ok) throw std::runtime_error("PostgreSQL: " + why + " in: " + sql);
}

// A new, empty store location for one test.
inline sync::server::StoreLocation fresh_store(const TempDir& dir) {
    if (!on_postgres()) return sync::server::StoreLocation::sqlite(dir / "store.db");
    const std::string uri = std::getenv("IMRDESK_TEST_POSTGRES");
    std::array<std::uint8_t, 8> random{};
    crypto::random_bytes(random);
    std::string schema = "t_";
    for (const auto b : random) {
        schema.push_back("0123456789abcdef"[b >> 4]);
        schema.push_back("0123456789abcdef"[b & 15]);
    }
    postgres_exec(uri, "CREATE SCHEMA " + schema);
    return {sync::server::StoreLocation::Kind::Postgres, uri + "&options=-csearch_path%3D" + schema};
}

}  // namespace imrdesk::test
