#include "imrdesk/platform/process.hpp"

#include <stdexcept>

#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/stat.h>

namespace imrdesk::platform {

void harden_process() {
    // A core dump would write decrypted records and keys to disk.
    const rlimit no_core{0, 0};
    ::setrlimit(RLIMIT_CORE, &no_core);
    ::prctl(PR_SET_DUMPABLE, 0, 0, 0, 0);
    // Whatever the user's umask, every file this process makes is the owner's alone (0600, and
    // 0700 for folders): the vault, its -wal and -shm, the server store, logs, exports.
    ::umask(077);
}

}  // namespace imrdesk::platform
