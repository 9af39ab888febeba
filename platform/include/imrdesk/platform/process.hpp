#pragma once
// Process hardening: no core dumps (they would hold decrypted text and keys), not ptrace-able by
// other users' processes, libsodium initialised.
namespace imrdesk::platform {

// Call first thing in every main(). Throws std::runtime_error if libsodium cannot start.
void harden_process();

}  // namespace imrdesk::platform
