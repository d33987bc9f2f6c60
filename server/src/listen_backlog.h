// Raising the listen backlog of cpp-httplib's socket.
#pragma once

namespace bp::server {

// Debian's cpp-httplib 0.11 is a compiled library whose listen backlog is
// fixed at 5 (CPPHTTPLIB_LISTEN_BACKLOG, baked into the .so), so a burst of
// new connections (a registration opening, a load balancer's health checks)
// gets some of them refused. Linux lets listen() be called again on a
// listening socket to change its backlog: this finds this process's
// listening TCP socket bound to `port` and raises its backlog to SOMAXCONN.
// Returns false when no such socket was found (the server still works).
bool raise_listen_backlog(int port);

}  // namespace bp::server
