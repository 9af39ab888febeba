// bench_sqlcipher_peer: the SQLCipher engine in a process of its own (SQLCipher exports the same
// sqlite3_* symbols as the system SQLite that the vault links), driven by bench_vault over
// stdin/stdout, one command per line:
//
//   bench_sqlcipher_peer <work dir> <entries> <autosave entries>
//   -> "ready <corpus fingerprint> <version>"
//   import | read | autosave <begin> <count>   -> "<milliseconds>"
//   reset                                      -> "ok"
//   (end of input: exit)
// Errors are answered with "error <message>" and end the process.
#include <cstdio>
#include <exception>
#include <filesystem>
#include <iostream>
#include <sstream>
#include <string>

#include "corpus.hpp"
#include "raw_sqlite.hpp"

int main(int argc, char** argv) {
    using namespace imrdesk::bench;
    if (argc != 4) {
        std::fprintf(stderr, "usage: %s <work dir> <entries> <autosave entries>\n", argv[0]);
        return 2;
    }
    try {
        const std::filesystem::path dir = argv[1];
        const Corpus corpus = make_corpus(std::stoul(argv[2]), std::stoul(argv[3]));
        RawEngine engine(corpus, dir / "sqlcipher.db");
        std::printf("ready %016llx %s\n", static_cast<unsigned long long>(corpus.fingerprint),
                    RawEngine::version(dir / "sqlcipher-version.db").c_str());
        std::fflush(stdout);
        for (std::string line; std::getline(std::cin, line);) {
            std::istringstream words(line);
            std::string command;
            words >> command;
            if (command == "import") {
                std::printf("%.4f\n", engine.import_all());
            } else if (command == "read") {
                std::printf("%.4f\n", engine.read_all());
            } else if (command == "autosave") {
                std::size_t begin = 0, count = 0;
                if (!(words >> begin >> count)) throw std::invalid_argument("autosave needs <begin> <count>");
                std::printf("%.4f\n", engine.autosave(begin, count));
            } else if (command == "reset") {
                engine.reset();
                std::printf("ok\n");
            } else {
                throw std::invalid_argument("unknown command '" + command + "'");
            }
            std::fflush(stdout);
        }
        return 0;
    } catch (const std::exception& e) {
        std::printf("error %s\n", e.what());
        std::fflush(stdout);
        return 1;
    }
}
