// Passphrases, the recovery key, the escalating delay after wrong passphrases, and the one-process
// lock on a profile.
#include <doctest/doctest.h>

#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cctype>
#include <cerrno>
#include <string>

#include "imrdesk/crypto/errors.hpp"
#include "imrdesk/platform/file_lock.hpp"
#include "vault_fixtures.hpp"

using namespace imrdesk;
using client::UnlockDelayed;
using client::Vault;
using client::VaultError;
using client::WrongPassphrase;
using client::WrongRecoveryKey;
using domain::Id;

namespace {

constexpr std::string_view kOld = "old passphrase, long enough";
constexpr std::string_view kNew = "new passphrase, also long";

const Id kRecord = test::make_id(7);

void write_marker(Vault& vault, std::string_view text) {
    const client::RecordWrite w{kRecord, kRecord, domain::RecordKind::GlossaryEntry,
                                test::glossary_body("MARK", std::string(text)), false};
    vault.write(std::span<const client::RecordWrite>(&w, 1), "test.marker");
}

std::string marker(const Vault& vault) {
    for (const auto& r : vault.load_all().records)
        if (r.id == kRecord) return domain::glossary_from_json(nlohmann::json::parse(r.body)).expansion;
    return "(missing)";
}

// Replaces the character at the given index (counting only significant characters) with c.
std::string with_char(std::string key, std::size_t significant_index, char c) {
    std::size_t seen = 0;
    for (auto& ch : key) {
        if (ch == '-' || ch == ' ') continue;
        if (seen++ == significant_index) {
            ch = c;
            break;
        }
    }
    return key;
}

}  // namespace

TEST_CASE("the delay schedule: none for two failures, then 5 s doubling up to 5 minutes") {
    using std::chrono::seconds;
    CHECK(client::unlock_delay(0) == seconds(0));
    CHECK(client::unlock_delay(1) == seconds(0));
    CHECK(client::unlock_delay(2) == seconds(0));
    CHECK(client::unlock_delay(3) == seconds(5));
    CHECK(client::unlock_delay(4) == seconds(10));
    CHECK(client::unlock_delay(5) == seconds(20));
    CHECK(client::unlock_delay(8) == seconds(160));
    CHECK(client::unlock_delay(9) == seconds(300));
    CHECK(client::unlock_delay(50) == seconds(300));
    CHECK(client::unlock_delay(1'000'000) == seconds(300));
}

TEST_CASE("changing the passphrase: the old one is refused, the new one opens, records are intact") {
    test::TempDir tmp;
    const auto file = tmp / "vault.db";
    crypto::kdf::Params before;
    Id vault_id;
    {
        auto created = Vault::create(file, kOld, test::fast_create());
        write_marker(*created.vault, "written before the change");
        before = created.vault->kdf_params();
        vault_id = created.vault->vault_id();
        created.vault->change_passphrase(kNew);
        CHECK(created.vault->kdf_params().salt != before.salt);  // a fresh salt
        CHECK_THROWS_AS(created.vault->change_passphrase(""), VaultError);
    }
    try {
        (void)Vault::open(file, kOld);
        FAIL("the old passphrase still opens the vault");
    } catch (const WrongPassphrase& e) {
        CHECK(e.failed_attempts() == 1);
    }
    auto vault = Vault::open(file, kNew);
    CHECK(vault->vault_id() == vault_id);
    CHECK(marker(*vault) == "written before the change");
    CHECK(vault->verify().ok());
    bool logged = false;
    for (const auto& entry : vault->audit_entries())
        if (entry.event == "vault.passphrase_changed") logged = true;
    CHECK(logged);
}

TEST_CASE("recovery: a typo is a FormatError saying where, another vault's key is refused, the right key sets a new passphrase") {
    test::TempDir tmp;
    const auto file = tmp / "vault.db";
    const auto other_file = tmp / "other" / "vault.db";
    std::string key;
    std::string other_key;
    {
        auto created = Vault::create(file, kOld, test::fast_create());
        key = created.recovery_key;
        write_marker(*created.vault, "precious");
        auto other = Vault::create(other_file, kOld, test::fast_create());
        other_key = other.recovery_key;
    }
    REQUIRE(key != other_key);

    SUBCASE("a character that is never used names its position") {
        try {
            (void)Vault::recover(file, with_char(key, 9, '!'), kNew);
            FAIL("a malformed recovery key was accepted");
        } catch (const crypto::FormatError& e) {
            const std::string message = e.what();
            CHECK(message.find("position 10") != std::string::npos);
            CHECK(message.find("group 3") != std::string::npos);
        }
    }
    SUBCASE("a mistyped (allowed) character fails the checksum") {
        const std::size_t index = 5;
        std::string significant;
        for (const char c : key)
            if (c != '-') significant += c;
        const char replacement = significant[index] == '7' ? '8' : '7';
        try {
            (void)Vault::recover(file, with_char(key, index, replacement), kNew);
            FAIL("a mistyped recovery key was accepted");
        } catch (const crypto::FormatError& e) {
            CHECK(std::string(e.what()).find("mistyped") != std::string::npos);
        }
    }
    SUBCASE("a character missing says how many there should be") {
        CHECK_THROWS_AS((void)Vault::recover(file, key.substr(0, key.size() - 1), kNew), crypto::FormatError);
    }
    SUBCASE("a key from another vault") {
        CHECK_THROWS_AS((void)Vault::recover(file, other_key, kNew), WrongRecoveryKey);
    }
    SUBCASE("the right key, typed in lower case with spaces") {
        std::string typed;
        for (const char c : key) typed += c == '-' ? ' ' : static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
        {
            auto vault = Vault::recover(file, typed, kNew);
            CHECK(marker(*vault) == "precious");
            CHECK(vault->verify().ok());
        }
        CHECK_THROWS_AS((void)Vault::open(file, kOld), WrongPassphrase);
        auto vault = Vault::open(file, kNew);
        CHECK(marker(*vault) == "precious");
        return;
    }
    // After a refused recovery nothing changed: the old passphrase still opens the vault.
    auto vault = Vault::open(file, kOld);
    CHECK(marker(*vault) == "precious");
}

TEST_CASE("wrong passphrases: an escalating delay that is enforced before any check and survives a restart") {
    test::TempDir tmp;
    const auto file = tmp / "vault.db";
    std::int64_t now = 1'700'000'000;
    const client::Clock clock = [&now] { return now; };
    { auto created = Vault::create(file, kOld, test::fast_create(clock)); }

    auto wrong = [&](int expected_failures, std::int64_t expected_delay) {
        CAPTURE(expected_failures);
        try {
            (void)Vault::open(file, "not the passphrase", test::with_clock(clock));
            FAIL("a wrong passphrase opened the vault");
        } catch (const WrongPassphrase& e) {
            CHECK(e.failed_attempts() == expected_failures);
            CHECK(e.retry_after().count() == expected_delay);
        }
    };
    auto delayed = [&](std::string_view passphrase, std::int64_t expected_wait) {
        CAPTURE(expected_wait);
        try {
            // A "restart": every attempt is a fresh open with a fresh clock object.
            const client::Clock fresh = [&now] { return now; };
            (void)Vault::open(file, passphrase, test::with_clock(fresh));
            FAIL("an attempt during the delay was let through");
        } catch (const UnlockDelayed& e) {
            CHECK(e.wait().count() == expected_wait);
        }
    };

    wrong(1, 0);
    wrong(2, 0);
    wrong(3, 5);
    delayed(kOld, 5);  // even the right passphrase is not tried
    delayed("not the passphrase", 5);  // and a wrong one does not count
    now += 4;
    delayed(kOld, 1);

    // The delay is enforced before the key slot is even read: on a copy whose slot is junk the
    // answer is still "wait", not "tampered" (so no key derivation can have happened).
    {
        test::TempDir copy;
        const auto copied = copy / "vault.db";
        std::filesystem::copy_file(file, copied);
        {
            test::RawDb db(copied);
            db.set_meta_text("keyslot.passphrase", "junk");
        }
        CHECK_THROWS_AS((void)Vault::open(copied, kOld, test::with_clock(clock)), UnlockDelayed);
    }

    now += 1;
    wrong(4, 10);  // doubled; the attempts made during the delay were not counted
    now += 9;
    delayed(kOld, 1);
    now += 1;
    wrong(5, 20);
    now += 20;
    {
        auto vault = Vault::open(file, kOld, test::with_clock(clock));  // success resets the count
        bool logged = false;
        for (const auto& entry : vault->audit_entries())
            if (entry.event == "vault.unlocked" && entry.details.value("failed_attempts_before", 0) == 5) logged = true;
        CHECK(logged);
    }
    wrong(1, 0);
    wrong(2, 0);
    { auto vault = Vault::open(file, kOld, test::with_clock(clock)); }
}

TEST_CASE("a clock set back does not stretch the delay beyond the longest one (5 minutes)") {
    test::TempDir tmp;
    const auto file = tmp / "vault.db";
    std::int64_t now = 1'900'000'000;  // e.g. a machine whose clock ran a month fast...
    const client::Clock clock = [&now] { return now; };
    { auto created = Vault::create(file, kOld, test::fast_create(clock)); }
    for (int i = 0; i < 3; ++i) CHECK_THROWS_AS((void)Vault::open(file, "wrong", test::with_clock(clock)), WrongPassphrase);
    now -= 30 * 86400;  // ...until it was corrected
    try {
        auto vault = Vault::open(file, kOld, test::with_clock(clock));
    } catch (const UnlockDelayed& e) {
        CHECK_MESSAGE(e.wait() <= client::unlock_delay(1000),
                      "after the clock went back 30 days the vault asks to wait " << e.wait().count() << " s");
    }
}

TEST_CASE("the recovery key is not held up by a pending delay, and clears it") {
    test::TempDir tmp;
    const auto file = tmp / "vault.db";
    std::int64_t now = 1'700'000'000;
    const client::Clock clock = [&now] { return now; };
    std::string key;
    {
        auto created = Vault::create(file, kOld, test::fast_create(clock));
        key = created.recovery_key;
    }
    for (int i = 0; i < 3; ++i) CHECK_THROWS_AS((void)Vault::open(file, "wrong", test::with_clock(clock)), WrongPassphrase);
    CHECK_THROWS_AS((void)Vault::open(file, kOld, test::with_clock(clock)), UnlockDelayed);
    { auto vault = Vault::recover(file, key, kNew, test::with_clock(clock)); }
    auto vault = Vault::open(file, kNew, test::with_clock(clock));
    CHECK(vault->verify().ok());
}

TEST_CASE("a second process cannot open a vault that is open, it can once the holder exits") {
    test::TempDir tmp;
    const auto file = tmp / "vault.db";
    { auto created = Vault::create(file, kOld, test::fast_create()); }

    int ready[2];
    int release[2];
    REQUIRE(::pipe(ready) == 0);
    REQUIRE(::pipe(release) == 0);
    const pid_t child = ::fork();
    REQUIRE(child >= 0);
    if (child == 0) {
        ::close(ready[0]);
        ::close(release[1]);
        int code = 0;
        try {
            auto vault = Vault::open(file, kOld);
            const char byte = 'r';
            if (::write(ready[1], &byte, 1) != 1) code = 2;
            char ignored = 0;
            while (::read(release[0], &ignored, 1) < 0 && errno == EINTR) {
            }
        } catch (...) {
            code = 1;
        }
        ::_exit(code);
    }
    ::close(ready[1]);
    ::close(release[0]);
    char byte = 0;
    REQUIRE(::read(ready[0], &byte, 1) == 1);

    try {
        (void)Vault::open(file, kOld);
        FAIL("a vault open in another process was opened again");
    } catch (const platform::LockedByOtherProcess& e) {
        INFO(std::string(e.what()));
        CHECK(std::string(e.what()).find("pid " + std::to_string(child)) != std::string::npos);
    }

    ::close(release[1]);  // let the child close the vault and exit
    int status = 0;
    REQUIRE(::waitpid(child, &status, 0) == child);
    CHECK(WIFEXITED(status));
    CHECK(WEXITSTATUS(status) == 0);
    ::close(ready[0]);
    auto vault = Vault::open(file, kOld);
    CHECK(vault->verify().ok());
}
