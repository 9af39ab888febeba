#include "imrdesk/platform/process.hpp"

#include <stdexcept>

#include <sodium.h>
#include <sys/prctl.h>
#include <sys/resource.h>

namespace imrdesk::platform {

void harden_process() {
    // A core dump would write decrypted records and keys to disk.
    const rlimit no_core{0, 0};
    ::setrlimit(RLIMIT_CORE, &no_core);
    ::prctl(PR_SET_DUMPABLE, 0, 0, 0, 0);
    if (sodium_init() < 0) throw std::runtime_error("libsodium could not be initialised");
}

}  // namespace imrdesk::platform
