#include "listen_backlog.h"

#include <arpa/inet.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <gtest/gtest.h>

#include <vector>

namespace bp::server {
namespace {

// A listening socket on a free loopback port that never accepts.
struct Listener {
  int fd = -1;
  int port = 0;
  explicit Listener(int backlog) {
    fd = socket(AF_INET, SOCK_STREAM, 0);
    sockaddr_in addr{};
    addr.sin_family = AF_INET;
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    bind(fd, reinterpret_cast<sockaddr*>(&addr), sizeof(addr));
    listen(fd, backlog);
    socklen_t len = sizeof(addr);
    getsockname(fd, reinterpret_cast<sockaddr*>(&addr), &len);
    port = ntohs(addr.sin_port);
  }
  ~Listener() { close(fd); }
};

// Starts `n` non-blocking connects and counts those the kernel completes
// (queued for accept) within a grace period.
int completed_connects(int port, int n) {
  std::vector<int> fds;
  for (int i = 0; i < n; ++i) {
    int fd = socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK, 0);
    sockaddr_in addr{};
    addr.sin_family = AF_INET;
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    addr.sin_port = htons(static_cast<uint16_t>(port));
    connect(fd, reinterpret_cast<sockaddr*>(&addr), sizeof(addr));
    fds.push_back(fd);
  }
  int completed = 0;
  for (int fd : fds) {
    pollfd p{fd, POLLOUT, 0};
    if (poll(&p, 1, 100) == 1 && (p.revents & POLLOUT)) {
      int err = 0;
      socklen_t len = sizeof(err);
      getsockopt(fd, SOL_SOCKET, SO_ERROR, &err, &len);
      if (err == 0) ++completed;
    }
    close(fd);
  }
  return completed;
}

TEST(ListenBacklog, ABurstOfConnectionsIsQueuedOnceRaised) {
  Listener small(1);
  EXPECT_LT(completed_connects(small.port, 20), 20);  // the race the fix is for

  Listener raised(1);
  ASSERT_TRUE(raise_listen_backlog(raised.port));
  EXPECT_EQ(completed_connects(raised.port, 20), 20);
}

TEST(ListenBacklog, UnknownPortIsReported) { EXPECT_FALSE(raise_listen_backlog(1)); }

}  // namespace
}  // namespace bp::server
