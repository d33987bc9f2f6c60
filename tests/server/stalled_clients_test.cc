// Slow and stalled clients (issue 13, item 1): connections that send half a
// request, trickle header lines, sit idle between requests or send an
// unknown method hold no worker thread, so other visitors are answered while
// they are open; they are closed at their deadline and every descriptor is
// given back. The server runs with two workers so that two stalled clients
// would already be enough to block it with cpp-httplib's own pool. Timing
// figures (200 connections, p50/p99) are in bench/stalled_clients.cc.
#include <gtest/gtest.h>
#include <poll.h>
#include <sys/socket.h>

#include <chrono>
#include <filesystem>
#include <functional>
#include <thread>
#include <vector>

#include "test_server.h"

namespace bp::test {
namespace {

using Clock = std::chrono::steady_clock;

void send_all(int fd, const std::string& bytes) { ::send(fd, bytes.data(), bytes.size(), MSG_NOSIGNAL); }

// Everything the server sends until it closes the connection, or until
// `limit` passes ("<open>" appended then).
std::string read_until_closed(int fd, std::chrono::seconds limit) {
  const auto deadline = Clock::now() + limit;
  std::string got;
  for (;;) {
    const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - Clock::now()).count();
    if (left <= 0) return got + "<open>";
    pollfd p{fd, POLLIN, 0};
    if (::poll(&p, 1, static_cast<int>(left)) <= 0) continue;
    char buf[1024];
    const ssize_t n = ::recv(fd, buf, sizeof buf, 0);
    if (n <= 0) return got;
    got.append(buf, static_cast<std::size_t>(n));
  }
}

std::size_t open_descriptors() {
  std::size_t n = 0;
  for ([[maybe_unused]] const auto& entry : std::filesystem::directory_iterator("/proc/self/fd")) ++n;
  return n;
}

// What this process's descriptors point to ("5 -> socket:[123]"), one per
// line: printed when a test finds more open than it started with, so a
// failure says which ones stayed.
std::string descriptor_list() {
  std::string out;
  std::error_code ec;
  for (const auto& entry : std::filesystem::directory_iterator("/proc/self/fd", ec)) {
    const auto target = std::filesystem::read_symlink(entry.path(), ec);
    out += entry.path().filename().string() + " -> " + (ec ? std::string("?") : target.string()) + "\n";
  }
  return out;
}

class StalledClients : public ::testing::Test {
 protected:
  void SetUp() override {
    Diagnostics diagnostics;
    taxonomy_ = Taxonomy::load(fs::path(BP_SOURCE_DIR) / "tests/server/library/taxonomy.yaml", &diagnostics);
    ASSERT_TRUE(taxonomy_);
    options_ = options_without_index(tmp_);
    options_.threads = 2;
    options_.request_timeout_ms = 1500;
    options_.keep_alive_timeout_ms = 1500;
  }
  void start() { running_ = std::make_unique<RunningServer>(options_, *taxonomy_, no_index()); }
  // A normal visitor. The tests that send one set the deadline of the
  // connections they hold open far beyond the test (60 s), so that held
  // workers would keep it waiting for a minute: the visitor's own bound can
  // then be generous, and a slow machine does not fail the test.
  int normal_status(const std::string& path) {
    httplib::Client client("127.0.0.1", running_->port());
    client.set_read_timeout(10, 0);
    client.set_connection_timeout(10, 0);
    auto res = client.Get(path.c_str());
    return res ? res->status : 0;
  }
  // Waits (bounded) until this process's descriptors are back to `baseline`.
  std::size_t descriptors_after_close(std::size_t baseline) {
    const auto deadline = Clock::now() + std::chrono::seconds(10);
    std::size_t now = open_descriptors();
    while (now > baseline && Clock::now() < deadline) {
      std::this_thread::sleep_for(std::chrono::milliseconds(20));
      now = open_descriptors();
    }
    return now;
  }

  TempDir tmp_;
  std::optional<Taxonomy> taxonomy_;
  server::Options options_;
  std::unique_ptr<RunningServer> running_;
};

// 40 connections that sent half a request (a head, or a head and part of
// its body), open on the server.
std::vector<int> half_requests(int port) {
  std::vector<int> stalled;
  for (int i = 0; i < 40; ++i) {
    const int fd = connect_loopback(port);
    EXPECT_GE(fd, 0);
    send_all(fd, i % 2 ? "GET /healthz HTTP/1.1\r\nHost: x\r\n" : "POST /api/registrations HTTP/1.1\r\nHost: x\r\n"
                                                                  "Content-Length: 500\r\n\r\n{\"a\":");
    stalled.push_back(fd);
  }
  return stalled;
}

// Whether the server has neither answered nor closed `fd` yet.
bool still_waiting(int fd) {
  pollfd p{fd, POLLIN, 0};
  return ::poll(&p, 1, 0) == 0;
}

TEST_F(StalledClients, HalfRequestsHoldNoWorker) {
  // Far beyond the test: a worker held by a half request would stay held,
  // and the visitors below would wait a minute.
  options_.request_timeout_ms = 60'000;
  start();
  const std::size_t baseline = open_descriptors();
  const std::vector<int> stalled = half_requests(running_->port());
  for (int i = 0; i < 5; ++i) {
    EXPECT_EQ(normal_status("/healthz"), 503) << "answered while 40 half requests are open (no index here)";
    EXPECT_GT(normal_status("/api/search?q=acqua"), 0);
  }
  for (int fd : stalled) {
    EXPECT_TRUE(still_waiting(fd)) << "a half request is answered or closed before its deadline";
    ::close(fd);
  }
  EXPECT_EQ(descriptors_after_close(baseline), baseline) << "the server closes what the clients closed; open now:\n"
                                                         << descriptor_list();
}

TEST_F(StalledClients, HalfRequestsAreClosedAtTheirDeadline) {
  start();
  const std::size_t baseline = open_descriptors();
  const std::vector<int> stalled = half_requests(running_->port());
  for (int fd : stalled) {
    const std::string got = read_until_closed(fd, std::chrono::seconds(10));
    EXPECT_EQ(raw_status(got), 408) << got;
    ::close(fd);
  }
  EXPECT_EQ(descriptors_after_close(baseline), baseline) << "open now:\n" << descriptor_list();
  auto metrics = running_->client()->Get("/metrics");
  ASSERT_TRUE(metrics);
  EXPECT_NE(metrics->body.find("bp_http_connections_closed_total{reason=\"timeout\"} 40\n"), std::string::npos)
      << metrics->body;
  EXPECT_NE(metrics->body.find("bp_http_connections_open 1\n"), std::string::npos) << "the scrape's own";
}

// 8 connections that sent a request line and no end of head.
std::vector<int> trickling(int port) {
  std::vector<int> slow;
  for (int i = 0; i < 8; ++i) {
    slow.push_back(connect_loopback(port));
    send_all(slow.back(), "GET /healthz HTTP/1.1\r\n");
  }
  return slow;
}

TEST_F(StalledClients, TricklingHeadersHoldNoWorker) {
  options_.request_timeout_ms = 60'000;  // far beyond the test: see HalfRequestsHoldNoWorker
  start();
  const std::vector<int> slow = trickling(running_->port());
  // One header line per client every 100 ms for a second, a visitor every
  // 500 ms.
  for (int line = 0; line < 10; ++line) {
    for (int fd : slow) send_all(fd, "X-Line-" + std::to_string(line) + ": y\r\n");
    if (line % 5 == 0) {
      EXPECT_EQ(normal_status("/healthz"), 503) << "answered while 8 clients trickle header lines";
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
  }
  for (int fd : slow) {
    EXPECT_TRUE(still_waiting(fd)) << "a trickled request is answered or closed before its deadline";
    ::close(fd);
  }
}

TEST_F(StalledClients, TricklingHeadersAreCutAtTheRequestDeadline) {
  start();
  const std::vector<int> slow = trickling(running_->port());
  // One header line per client every 100 ms: each read succeeds, which
  // cpp-httplib's per-read timeout never stops.
  bool closed = false;
  for (int line = 0; line < 100 && !closed; ++line) {
    for (int fd : slow) send_all(fd, "X-Line-" + std::to_string(line) + ": y\r\n");
    pollfd p{slow.front(), POLLIN, 0};
    closed = ::poll(&p, 1, 100) > 0;
  }
  EXPECT_TRUE(closed) << "a request trickled over 10 s is never cut";
  for (int fd : slow) {
    EXPECT_EQ(raw_status(read_until_closed(fd, std::chrono::seconds(10))), 408);
    ::close(fd);
  }
}

// `n` connections that sent one whole request (`request(i)`) and had its
// answer (bounded: 10 s).
std::vector<int> answered_once(int port, int n, const std::function<std::string(int)>& request) {
  std::vector<int> fds;
  for (int i = 0; i < n; ++i) {
    const int fd = connect_loopback(port);
    timeval bound{10, 0};
    ::setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &bound, sizeof bound);
    send_all(fd, request(i));
    char buf[64];
    EXPECT_GT(::recv(fd, buf, sizeof buf, 0), 0) << "the first answer comes";
    fds.push_back(fd);
  }
  return fds;
}

TEST_F(StalledClients, IdleKeepAliveConnectionsAndUnknownMethodsHoldNoWorker) {
  // Far beyond the test: an idle connection that held a worker would hold it
  // for a minute, and the kept-alive connection below cannot time out before
  // its next request however slow the machine.
  options_.keep_alive_timeout_ms = 60'000;
  start();
  const std::size_t baseline = open_descriptors();
  const std::vector<int> idle = answered_once(running_->port(), 10, [](int i) {
    return i % 2 ? "GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n" : "BREW /healthz HTTP/1.1\r\nHost: x\r\n\r\n";
  });
  for (int i = 0; i < 5; ++i) EXPECT_EQ(normal_status("/healthz"), 503);
  // A kept-alive connection still serves its next request.
  send_all(idle[1], "GET /healthz HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n");
  const std::string second = read_until_closed(idle[1], std::chrono::seconds(10));
  EXPECT_NE(second.find("HTTP/1.1 503"), std::string::npos) << second;
  for (int fd : idle) ::close(fd);
  EXPECT_EQ(descriptors_after_close(baseline), baseline) << "the server closes what the clients closed; open now:\n"
                                                         << descriptor_list();
}

TEST_F(StalledClients, IdleKeepAliveConnectionsAreClosedAtTheKeepAliveTimeout) {
  start();
  const std::size_t baseline = open_descriptors();
  const std::vector<int> idle = answered_once(running_->port(), 10, [](int) {
    return std::string("GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n");
  });
  for (int fd : idle) {
    EXPECT_EQ(read_until_closed(fd, std::chrono::seconds(10)).find("<open>"), std::string::npos)
        << "idle connections are closed after the keep-alive timeout";
    ::close(fd);
  }
  EXPECT_EQ(descriptors_after_close(baseline), baseline) << "open now:\n" << descriptor_list();
}

// A client that trusts the Keep-Alive header (a proxy's connection pool)
// learns the server's real idle timeout, not cpp-httplib's defaults.
TEST_F(StalledClients, TheKeepAliveHeaderTellsTheIdleTimeoutTheServerApplies) {
  options_.keep_alive_timeout_ms = 15'000;
  start();
  httplib::Client client("127.0.0.1", running_->port());
  client.set_keep_alive(true);
  auto res = client.Get("/healthz");
  ASSERT_TRUE(res);
  EXPECT_EQ(res->get_header_value("Keep-Alive"), "timeout=15, max=100");
}

TEST_F(StalledClients, AnUnknownMethodIsAnswered400AndTheConnectionClosed) {
  options_.keep_alive_timeout_ms = 60'000;  // so that only the refusal can close it
  start();
  const int fd = connect_loopback(running_->port());
  send_all(fd, "BREW /healthz HTTP/1.1\r\nHost: x\r\n\r\nGET /healthz HTTP/1.1\r\nHost: x\r\n\r\n");
  const std::string got = read_until_closed(fd, std::chrono::seconds(10));
  ::close(fd);
  EXPECT_EQ(raw_status(got), 400) << got;
  EXPECT_NE(got.find("Connection: close"), std::string::npos) << got;
  EXPECT_EQ(got.find("<open>"), std::string::npos) << "closed after the refusal, not kept alive";
  EXPECT_EQ(got.find("HTTP/1.1", 5), std::string::npos) << "the bytes after it are not read as requests: " << got;
}

// A head with a line ending in a bare LF (cpp-httplib skips such lines and
// would wait for more), or a body announced with another expectation than
// 100-continue and not sent: neither holds a worker. The first is answered
// 400 and closed.
TEST_F(StalledClients, BareLineFeedsAndOtherExpectationsHoldNoWorker) {
  options_.request_timeout_ms = 60'000;  // far beyond the test, as above
  start();
  std::vector<int> held;
  for (int i = 0; i < 8; ++i) {
    held.push_back(connect_loopback(running_->port()));
    send_all(held.back(), i % 2 ? "GET /healthz HTTP/1.1\r\n\n"
                                : "POST /nowhere HTTP/1.1\r\nHost: x\r\nContent-Length: 5\r\nExpect: x\r\n\r\n");
  }
  for (int i = 0; i < 3; ++i) EXPECT_EQ(normal_status("/healthz"), 503) << "answered while 8 such clients are open";
  for (std::size_t i = 1; i < held.size(); i += 2) {
    const std::string got = read_until_closed(held[i], std::chrono::seconds(10));
    EXPECT_EQ(raw_status(got), 400) << got;
    EXPECT_EQ(got.find("<open>"), std::string::npos) << got;
  }
  for (int fd : held) ::close(fd);
}

// A client that sends "Expect: 100-continue" sends its body only after the
// server's interim answer, so that answer must leave before the worker
// waits for the body (the worker keeps what it writes until the answer is
// complete, to send head and body at once).
TEST_F(StalledClients, TheInterim100ContinueLeavesBeforeTheBodyIsAwaited) {
  start();
  const int fd = connect_loopback(running_->port());
  send_all(fd,
           "POST /nowhere HTTP/1.1\r\nHost: x\r\nContent-Length: 5\r\nExpect: 100-continue\r\n"
           "Connection: close\r\n\r\n");
  // Well within the request timeout (1.5 s), which would end the wait anyway.
  std::string interim;
  const auto deadline = Clock::now() + std::chrono::milliseconds(1000);
  while (interim.find("\r\n\r\n") == std::string::npos && Clock::now() < deadline) {
    pollfd p{fd, POLLIN, 0};
    if (::poll(&p, 1, 50) <= 0) continue;
    char buf[256];
    const ssize_t n = ::recv(fd, buf, sizeof buf, 0);
    if (n <= 0) break;
    interim.append(buf, static_cast<std::size_t>(n));
  }
  EXPECT_TRUE(interim.starts_with("HTTP/1.1 100 Continue\r\n")) << interim;
  send_all(fd, "hello");
  const std::string got = read_until_closed(fd, std::chrono::seconds(10));
  ::close(fd);
  EXPECT_NE((interim + got).find("HTTP/1.1 404"), std::string::npos) << interim + got;
}

// Mounts POST /carica, which takes bodies up to 1 MiB (an upload) and
// answers how many bytes it read.
void mount_upload(server::Server& server) {
  site::Route upload;
  upload.method = site::Method::kPost;
  upload.pattern = "/carica";
  upload.label = "/carica";
  upload.max_body_bytes = 1 << 20;
  upload.handler = [](const httplib::Request& req, httplib::Response& res) {
    res.set_content("letti " + std::to_string(req.body.size()) + " byte", "text/plain");
  };
  server.mount({upload});
}

// A body that takes its time holds no worker: one announced with
// "Expect: 100-continue" and never sent, or an upload larger than the
// ordinary limit arriving slowly on a route that takes it. Beyond the
// upload slots, one more upload is answered 503 at once.
TEST_F(StalledClients, SlowBodiesAndWithheldContinuedBodiesHoldNoWorker) {
  options_.request_timeout_ms = 60'000;  // far beyond the test, as above
  running_ = std::make_unique<RunningServer>(options_, *taxonomy_, no_index(), mount_upload);
  std::vector<int> held;
  for (int i = 0; i < 4; ++i) {
    const int fd = connect_loopback(running_->port());
    send_all(fd, i % 2
                     ? "POST /carica HTTP/1.1\r\nHost: x\r\nContent-Length: 300000\r\n\r\n" + std::string(100'000, 'a')
                     : "POST /carica HTTP/1.1\r\nHost: x\r\nContent-Length: 500\r\nExpect: 100-continue\r\n\r\n");
    held.push_back(fd);
  }
  for (int i = 0; i < 3; ++i) EXPECT_EQ(normal_status("/healthz"), 503) << "answered while 4 bodies are awaited";
  // The withheld body was asked for, and a slow upload, once whole, is served.
  std::string interim(64, '\0');
  const ssize_t n = ::recv(held[0], interim.data(), interim.size(), 0);
  EXPECT_EQ(interim.substr(0, n > 0 ? static_cast<std::size_t>(n) : 0), "HTTP/1.1 100 Continue\r\n\r\n");
  send_all(held[1], std::string(200'000, 'b'));
  ::shutdown(held[1], SHUT_WR);
  const std::string uploaded = read_until_closed(held[1], std::chrono::seconds(10));
  EXPECT_NE(uploaded.find("letti 300000 byte"), std::string::npos) << uploaded.substr(0, 300);
  for (int fd : held) ::close(fd);
}

TEST_F(StalledClients, UploadsBeyondTheirSlotsAreAnswered503AtOnce) {
  options_.request_timeout_ms = 60'000;
  running_ = std::make_unique<RunningServer>(options_, *taxonomy_, no_index(), mount_upload);
  std::vector<int> held;
  std::string refused;
  for (int i = 0; i < 20 && refused.empty(); ++i) {
    const int fd = connect_loopback(running_->port());
    send_all(fd, "POST /carica HTTP/1.1\r\nHost: x\r\nContent-Length: 900000\r\n\r\n" + std::string(70'000, 'a'));
    held.push_back(fd);
    // Answered at once when no slot is left; otherwise still waiting.
    pollfd p{fd, POLLIN, 0};
    if (::poll(&p, 1, 300) > 0) refused = read_until_closed(fd, std::chrono::seconds(5));
  }
  EXPECT_TRUE(refused.starts_with("HTTP/1.1 503")) << refused.substr(0, 200);
  EXPECT_NE(refused.find("Retry-After:"), std::string::npos);
  const auto head_end = refused.find("\r\n\r\n");
  const auto length = refused.find("Content-Length: ");
  ASSERT_TRUE(head_end != std::string::npos && length != std::string::npos) << refused;
  EXPECT_EQ(std::stoul(refused.substr(length + 16)), refused.size() - head_end - 4) << "the body it declares";
  EXPECT_EQ(held.size(), 17u) << "16 slots, the 17th refused";
  EXPECT_EQ(normal_status("/healthz"), 503) << "the rest of the site is answered meanwhile";
  for (int fd : held) ::close(fd);
}

// Mounts GET /grande, 6 MB of text: more than the kernel takes for a
// client that reads nothing, even on loopback (about 3 MB here; a few tens
// of kilobytes on a real network, where a page is enough).
constexpr std::size_t kLarge = 6'000'000;
void mount_large(server::Server& server) {
  site::Route large;
  large.method = site::Method::kGet;
  large.pattern = "/grande";
  large.label = "/grande";
  large.handler = [](const httplib::Request&, httplib::Response& res) {
    res.set_content(std::string(kLarge, 'x') + "fine", "text/plain");
  };
  server.mount({large});
}

// A connection whose client reads little of the answer (a small receive
// window, nothing read).
int slow_reader(int port, const std::string& request) {
  const int fd = ::socket(AF_INET, SOCK_STREAM, 0);
  const int small = 4096;
  ::setsockopt(fd, SOL_SOCKET, SO_RCVBUF, &small, sizeof small);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_port = htons(static_cast<std::uint16_t>(port));
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  EXPECT_EQ(::connect(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr), 0);
  send_all(fd, request);
  return fd;
}

// Clients that do not read their answers (more of them than workers) hold
// no worker: other visitors are answered meanwhile; each slow reader still
// gets its whole answer when it reads, then its next one on the same
// connection.
TEST_F(StalledClients, SlowReadersOfAnswersHoldNoWorker) {
  options_.write_timeout_ms = 60'000;  // far beyond the test: a held worker would stay held
  options_.keep_whole_answer_bytes = 8 << 20;
  running_ = std::make_unique<RunningServer>(options_, *taxonomy_, no_index(), mount_large);
  std::vector<int> readers;
  for (int i = 0; i < 4; ++i)
    readers.push_back(slow_reader(running_->port(),
                                  "GET /grande HTTP/1.1\r\nHost: x\r\n\r\n"
                                  "GET /grande HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n"));
  for (int i = 0; i < 3; ++i) EXPECT_EQ(normal_status("/healthz"), 503) << "answered while 4 answers wait to be read";
  for (int fd : readers) {
    const std::string got = read_until_closed(fd, std::chrono::seconds(20));
    EXPECT_EQ(got.find("<open>"), std::string::npos);
    const auto first = got.find("fine");
    EXPECT_NE(first, std::string::npos);
    EXPECT_NE(got.find("fine", first + 4), std::string::npos) << "and the pipelined second answer";
    EXPECT_GT(got.size(), 2 * kLarge);
    ::close(fd);
  }
}

// A client that takes none of its answer for the write timeout is closed.
TEST_F(StalledClients, AReaderThatTakesNothingIsClosedAtTheWriteTimeout) {
  options_.write_timeout_ms = 1500;
  options_.keep_whole_answer_bytes = 8 << 20;
  running_ = std::make_unique<RunningServer>(options_, *taxonomy_, no_index(), mount_large);
  const std::size_t baseline = open_descriptors();
  const int fd = slow_reader(running_->port(), "GET /grande HTTP/1.1\r\nHost: x\r\n\r\n");
  // Read nothing until the server has given up, then see that it did.
  const auto deadline = Clock::now() + std::chrono::seconds(10);
  auto timed_out = [&] {
    auto metrics = running_->client()->Get("/metrics");
    return metrics &&
           metrics->body.find("bp_http_connections_closed_total{reason=\"timeout\"} 1\n") != std::string::npos;
  };
  while (!timed_out() && Clock::now() < deadline) std::this_thread::sleep_for(std::chrono::milliseconds(50));
  EXPECT_TRUE(timed_out());
  const std::string got = read_until_closed(fd, std::chrono::seconds(10));
  EXPECT_EQ(got.find("<open>"), std::string::npos) << "closed by the server";
  EXPECT_EQ(got.find("fine"), std::string::npos) << "before the end of the answer";
  ::close(fd);
  EXPECT_EQ(descriptors_after_close(baseline), baseline) << "open now:\n" << descriptor_list();
}

TEST_F(StalledClients, PipelinedRequestsAreAnsweredInOrder) {
  start();
  const int fd = connect_loopback(running_->port());
  send_all(fd,
           "GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n"
           "GET /nowhere HTTP/1.1\r\nHost: x\r\n\r\n"
           "GET /healthz HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n");
  const std::string got = read_until_closed(fd, std::chrono::seconds(10));
  ::close(fd);
  const auto first = got.find("HTTP/1.1 503");
  const auto second = got.find("HTTP/1.1 404");
  const auto third = got.find("HTTP/1.1 503", second);
  EXPECT_TRUE(first < second && second < third && third != std::string::npos) << got;
}

TEST_F(StalledClients, BeyondTheConnectionCapTheLongestWaitingIsClosed) {
  options_.max_connections = 20;
  // Far beyond the test: only making room can close a connection here.
  options_.request_timeout_ms = 60'000;
  start();
  // The oldest sends nothing, so no worker ever holds it when the visitor
  // comes (a connection a worker is reading from cannot be evicted, and
  // which one a worker holds at that instant is the scheduler's choice).
  // The others have sent half a request.
  std::vector<int> waiting;
  for (int i = 0; i < 20; ++i) {
    waiting.push_back(connect_loopback(running_->port()));
    if (i > 0) send_all(waiting.back(), "GET /healthz HTTP/1.1\r\n");
  }
  EXPECT_EQ(normal_status("/healthz"), 503) << "a new visitor gets in";
  const std::string first = read_until_closed(waiting.front(), std::chrono::seconds(10));
  EXPECT_EQ(first, "") << "the longest waiting made room, closed without a word as it had asked nothing";
  EXPECT_TRUE(still_waiting(waiting[1])) << "the next one is still open";
  for (int fd : waiting) ::close(fd);
}

}  // namespace
}  // namespace bp::test
