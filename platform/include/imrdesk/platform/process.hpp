#pragma once
// Process hardening: no core dumps (they would hold decrypted text and keys), not ptrace-able by
// other users' processes, and every file made private to its owner (umask 077). libsodium is
// crypto/'s to start (crypto::init), right after.
namespace imrdesk::platform {

// Call first thing in every main().
void harden_process();

}  // namespace imrdesk::platform
