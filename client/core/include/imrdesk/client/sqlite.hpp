#pragma once
// The SQLite RAII layer lives in platform/ (the server's store uses it too); the client keeps
// calling it client::sql.
#include "imrdesk/platform/sqlite.hpp"

namespace imrdesk::client {
namespace sql = platform::sql;
}  // namespace imrdesk::client
