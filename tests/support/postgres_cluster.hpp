#pragma once
// PostgreSQL for tests: statements on a cluster, a schema of one's own in it, and a throwaway
// cluster of scripts/pg-cluster.sh for a test that needs one to itself. Header-only; only for
// test targets that link PostgreSQL::PostgreSQL.
#include <libpq-fe.h>
#include <unistd.h>

#include <array>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <stdexcept>
#include <string>

#include "imrdesk/crypto/secure_buffer.hpp"
#include "temp_dir.hpp"

namespace imrdesk::test {

// Runs one statement (throws with PostgreSQL's message).
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

// A new, empty schema in the cluster's database; returns the URI that makes it the search path.
inline std::string postgres_fresh_schema(const std::string& uri) {
    std::array<std::uint8_t, 8> random{};
    crypto::random_bytes(random);
    std::string schema = "t_";
    for (const auto b : random) {
        schema.push_back("0123456789abcdef"[b >> 4]);
        schema.push_back("0123456789abcdef"[b & 15]);
    }
    postgres_exec(uri, "CREATE SCHEMA " + schema);
    return uri + (uri.find('?') == std::string::npos ? "?" : "&") + "options=-csearch_path%3D" + schema;
}

// The cluster of IMRDESK_TEST_POSTGRES when ctest started one for the suite, or one of its own,
// started now (about a second) and removed with this object.
class PostgresCluster {
public:
    PostgresCluster() {
        if (const char* shared = std::getenv("IMRDESK_TEST_POSTGRES"); shared != nullptr && *shared != '\0') {
            uri_ = shared;
            return;
        }
        own_ = true;
        // Unix socket paths are short (107 bytes): the cluster goes under /tmp.
        dir_ = std::filesystem::path("/tmp") / ("imrdesk-pg-test-" + std::to_string(::getpid()) + "-" + std::to_string(counter()++));
        const std::string command = std::string(IMRDESK_PG_CLUSTER_SCRIPT) + " start " + dir_.string();
        FILE* pipe = ::popen(command.c_str(), "r");
        if (pipe == nullptr) throw std::runtime_error("cannot run " + command);
        char line[512] = {};
        const bool got = std::fgets(line, sizeof line, pipe) != nullptr;
        const int status = ::pclose(pipe);
        if (!got || status != 0) throw std::runtime_error("scripts/pg-cluster.sh could not start a cluster in " + dir_.string());
        uri_ = line;
        while (!uri_.empty() && (uri_.back() == '\n' || uri_.back() == '\r')) uri_.pop_back();
    }
    ~PostgresCluster() {
        if (!own_) return;
        const std::string command = std::string(IMRDESK_PG_CLUSTER_SCRIPT) + " stop " + dir_.string();
        if (std::system(command.c_str()) != 0) std::fprintf(stderr, "could not stop the test cluster in %s\n", dir_.c_str());
    }
    PostgresCluster(const PostgresCluster&) = delete;
    PostgresCluster& operator=(const PostgresCluster&) = delete;

    [[nodiscard]] const std::string& uri() const noexcept { return uri_; }

private:
    static int& counter() {
        static int n = 0;
        return n;
    }
    std::string uri_;
    std::filesystem::path dir_;
    bool own_ = false;
};

}  // namespace imrdesk::test
