// Hostile clients, one case per finding of the adversarial review (issue
// 18): every request bounded before its body is read, ambiguous framing
// refused and the connection closed, metrics of a fixed shape and private,
// consistent JSON errors. Loopback only, bounded in count and time.
#include <gtest/gtest.h>
#include <sys/socket.h>

#include <fstream>
#include <nlohmann/json.hpp>

#include "test_server.h"

namespace bp::test {
namespace {

using nlohmann::json;

// This process's resident memory in KiB (the server runs in it).
long resident_kib() {
  std::ifstream in("/proc/self/status");
  std::string line;
  while (std::getline(in, line))
    if (line.rfind("VmRSS:", 0) == 0) return std::atol(line.c_str() + 6);
  return -1;
}

// Sends `head`, then up to `body_bytes` of filler while the server reads,
// and returns the answer; a server that closes early just stops the upload.
std::string send_with_body(int port, const std::string& head, std::size_t body_bytes) {
  int fd = ::socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_port = htons(static_cast<uint16_t>(port));
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  timeval tv{5, 0};
  ::setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
  ::setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &tv, sizeof tv);
  std::string answer;
  if (::connect(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr) == 0) {
    ::send(fd, head.data(), head.size(), MSG_NOSIGNAL);
    const std::string chunk(64 * 1024, 'a');
    for (std::size_t sent = 0; sent < body_bytes; sent += chunk.size())
      if (::send(fd, chunk.data(), chunk.size(), MSG_NOSIGNAL) <= 0) break;
    char buf[4096];
    ssize_t n;
    while ((n = ::recv(fd, buf, sizeof buf, 0)) > 0) answer.append(buf, static_cast<size_t>(n));
  }
  ::close(fd);
  return answer;
}

// Whether `answer`'s Content-Length is the size of the body that follows.
bool declares_its_length(const std::string& answer) {
  const auto head_end = answer.find("\r\n\r\n");
  const auto at = answer.find("Content-Length: ");
  if (head_end == std::string::npos || at == std::string::npos || at > head_end) return false;
  return std::stoul(answer.substr(at + 16)) == answer.size() - head_end - 4;
}

json body_of(const std::string& answer) {
  const auto at = answer.find("\r\n\r\n");
  return at == std::string::npos ? json() : json::parse(answer.substr(at + 4), nullptr, false);
}

class HostileClients : public ::testing::Test {
 protected:
  void SetUp() override {
    Diagnostics diagnostics;
    taxonomy_ = Taxonomy::load(fs::path(BP_SOURCE_DIR) / "tests/server/library/taxonomy.yaml", &diagnostics);
    ASSERT_TRUE(taxonomy_);
    options_ = options_without_index(tmp_);
  }
  RunningServer& start() {
    running_ = std::make_unique<RunningServer>(options_, *taxonomy_, no_index());
    return *running_;
  }
  int port() const { return running_->port(); }

  TempDir tmp_;
  std::optional<Taxonomy> taxonomy_;
  server::Options options_;
  std::unique_ptr<RunningServer> running_;
};

TEST_F(HostileClients, AChunkedBodyIsRefusedBeforeItIsRead) {
  start();
  const long before = resident_kib();
  const std::string answer = send_with_body(
      port(), "POST /api/search HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n", 32u << 20);
  EXPECT_EQ(raw_status(answer), 411) << answer.substr(0, 200);
  EXPECT_EQ(body_of(answer)["error"], "length_required");
  EXPECT_NE(answer.find("Connection: close"), std::string::npos);
  EXPECT_LT(resident_kib() - before, 8 * 1024) << "32 MB sent, resident memory must not follow";
}

TEST_F(HostileClients, ADeclaredBodyOverTheLimitIs413WithoutReadingIt) {
  start();
  const long before = resident_kib();
  const std::string answer = send_with_body(
      port(), "POST /api/registrations HTTP/1.1\r\nHost: x\r\nContent-Length: 100000000\r\n\r\n", 16u << 20);
  EXPECT_EQ(raw_status(answer), 413);
  json body = body_of(answer);
  EXPECT_EQ(body["error"], "too_large");
  EXPECT_NE(body["message"].get<std::string>().find("dimensione"), std::string::npos);
  EXPECT_LT(resident_kib() - before, 8 * 1024);
}

// A compressed body would be inflated whole before any size limit (a 1 MB
// gzip bomb is a gigabyte): refused before it is read.
TEST_F(HostileClients, ACompressedBodyIsRefused415BeforeItIsRead) {
  start();
  const std::string answer = send_with_body(port(),
                                            "POST /api/search HTTP/1.1\r\nHost: x\r\nContent-Encoding: gzip\r\n"
                                            "Content-Type: application/json\r\nContent-Length: 1000\r\n\r\n" +
                                                std::string(1000, '\x1f'),
                                            0);
  EXPECT_EQ(raw_status(answer), 415) << answer.substr(0, 200);
  EXPECT_EQ(body_of(answer)["error"], "unsupported_encoding");
  EXPECT_NE(answer.find("Connection: close"), std::string::npos);
}

// «Content-Length : 5» (a space before the colon) frames one way for a
// lenient parser and another for a strict one: 400, closed.
TEST_F(HostileClients, AHeaderNameWithASpaceBeforeItsColonIs400) {
  start();
  for (const char* head : {"POST /api/search HTTP/1.1\r\nHost: x\r\nContent-Length : 2\r\n\r\nab",
                           "POST /api/search HTTP/1.1\r\nHost: x\r\nTransfer-Encoding\t: chunked\r\n\r\n"}) {
    const std::string answer = send_with_body(port(), head, 0);
    EXPECT_EQ(raw_status(answer), 400) << head << "\n" << answer.substr(0, 200);
    EXPECT_NE(answer.find("Connection: close"), std::string::npos);
    EXPECT_TRUE(declares_its_length(answer)) << answer;
  }
}

// «Range: bytes=0-,0-,0-…» would send the file once per range: a request of
// many ranges gets the file once, whole; one range is still served.
TEST_F(HostileClients, ManyRangesGetTheWholeFileOnce) {
  fs::create_directories(options_.web_root / "css");
  std::ofstream(options_.web_root / "css" / "site.css") << std::string(5000, 'x');
  start();
  auto client = running_->client();
  std::string ranges = "bytes=0-";
  for (int i = 0; i < 200; ++i) ranges += ",0-";
  auto whole = client->Get("/css/site.css", {{"Range", ranges}});
  ASSERT_TRUE(whole);
  auto plain = client->Get("/css/site.css");
  ASSERT_TRUE(plain);
  ASSERT_EQ(plain->status, 200);
  EXPECT_EQ(whole->status, 200);
  EXPECT_EQ(whole->body.size(), 5000u);
  auto one = client->Get("/css/site.css", {{"Range", "bytes=0-9"}});
  ASSERT_TRUE(one);
  EXPECT_EQ(one->status, 206);
  EXPECT_EQ(one->body, plain->body.substr(0, 10));
}

// The absolute form of a target («GET http://elsewhere/») is no path of
// ours: 400, and never a redirect to that host.
TEST_F(HostileClients, AnAbsoluteTargetIs400AndNeverARedirectElsewhere) {
  start();
  const std::string answer =
      send_with_body(port(), "GET http://evil.example/Programma HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n", 0);
  EXPECT_EQ(raw_status(answer), 400) << answer.substr(0, 200);
  EXPECT_EQ(answer.find("evil.example"), std::string::npos) << answer.substr(0, 300);
}

TEST_F(HostileClients, TooManyOrTooLargeHeadersAre431) {
  start();
  std::string many = "GET /api/search HTTP/1.1\r\nHost: x\r\n";
  for (int i = 0; i < 500; ++i) many += "X-Filler-" + std::to_string(i) + ": y\r\n";
  std::string answer = raw_http(port(), many + "\r\n");
  EXPECT_EQ(raw_status(answer), 431);
  EXPECT_EQ(body_of(answer)["error"], "headers_too_large");
  std::string large = "GET /healthz HTTP/1.1\r\nHost: x\r\n";
  for (int i = 0; i < 4; ++i) large += "X-Big-" + std::to_string(i) + ": " + std::string(6000, 'b') + "\r\n";
  EXPECT_EQ(raw_status(raw_http(port(), large + "\r\n")), 431);
  EXPECT_EQ(raw_status(raw_http(port(), "GET /healthz HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")), 503)
      << "the server still answers (no index here)";
}

TEST_F(HostileClients, AmbiguousFramingIs400AndTheConnectionCloses) {
  start();
  // Each request hides a second one in its body: it must never be served.
  const std::string smuggled = "GET /metrics HTTP/1.1\r\nHost: x\r\n\r\n";
  for (const std::string& framing : std::vector<std::string>{
           "Content-Length: 5\r\nContent-Length: 7\r\n",
           "Content-Length: abc\r\n",
           "Content-Length: -1\r\n",
           "Content-Length: " + std::to_string(smuggled.size()) + "\r\nTransfer-Encoding: chunked\r\n",
       }) {
    const std::string answer =
        raw_http(port(), "POST /api/search HTTP/1.1\r\nHost: x\r\n" + framing + "\r\n" + smuggled);
    EXPECT_EQ(raw_status(answer), 400) << framing;
    EXPECT_NE(answer.find("Connection: close"), std::string::npos) << framing;
    EXPECT_EQ(answer.find("bp_http_requests_total"), std::string::npos) << "smuggled request served: " << framing;
    EXPECT_EQ(answer.find("HTTP/1.1", 5), std::string::npos) << "one answer only: " << framing;
  }
}

// Sends `request`, reads the start of the answer and hangs up (cpp-httplib
// keeps a connection open after refusing an unknown method). The answer
// comes at once; the bound (10 s) is only reached when it never comes.
int status_of(int port, const std::string& request) {
  int fd = ::socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_port = htons(static_cast<uint16_t>(port));
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  timeval tv{10, 0};
  ::setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
  char buf[256] = {};
  if (::connect(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr) == 0) {
    ::send(fd, request.data(), request.size(), MSG_NOSIGNAL);
    ::recv(fd, buf, sizeof buf - 1, 0);
  }
  ::close(fd);
  return raw_status(buf);
}

TEST_F(HostileClients, InventedMethodsDoNotGrowTheMetrics) {
  start();
  for (int i = 0; i < 60; ++i)
    ASSERT_GE(status_of(port(), "M" + std::to_string(i) + " /healthz HTTP/1.1\r\nHost: x\r\n\r\n"), 400) << i;
  status_of(port(), "DELETE /healthz HTTP/1.1\r\nHost: x\r\n\r\n");
  auto client = running_->client();
  // Each request is counted just after its answer, on the thread that
  // served it: wait for the count (bounded: 10 s).
  std::string metrics;
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(10);
  do {
    metrics = client->Get("/metrics")->body;
    if (metrics.find("method=\"OTHER\"") != std::string::npos) break;
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  } while (std::chrono::steady_clock::now() < deadline);
  EXPECT_NE(metrics.find("method=\"OTHER\""), std::string::npos) << metrics;
  EXPECT_EQ(metrics.find("M17"), std::string::npos);
  EXPECT_EQ(metrics.find("method=\"M"), std::string::npos);
  EXPECT_EQ(metrics.find("DELETE"), std::string::npos);
  EXPECT_LT(metrics.size(), 8000u);
}

TEST_F(HostileClients, MetricsAreForLoopbackTheConfiguredAddressesOrTheToken) {
  options_.metrics_allow = {"192.0.2.10"};  // the monitoring host, not us
  options_.metrics_token = "metrics-token-for-the-monitoring-system";
  start();
  auto client = running_->client();
  auto refused = client->Get("/metrics");
  EXPECT_EQ(refused->status, 403);
  EXPECT_EQ(refused->body.find("bp_http"), std::string::npos);
  auto wrong = client->Get("/metrics", {{"Authorization", "Bearer wrong"}});
  EXPECT_EQ(wrong->status, 403);
  auto allowed = client->Get("/metrics", {{"Authorization", "Bearer metrics-token-for-the-monitoring-system"}});
  EXPECT_EQ(allowed->status, 200);
  EXPECT_NE(allowed->body.find("bp_http_requests_total"), std::string::npos);
}

TEST_F(HostileClients, EveryApiErrorIsJsonAndAWrongMethodIs405WithAllow) {
  start();
  auto client = running_->client();
  auto long_path = client->Get(("/api/" + std::string(3000, 'x')).c_str());
  EXPECT_EQ(long_path->status, 414);
  EXPECT_EQ(long_path->get_header_value("Content-Type"), "application/json; charset=utf-8");
  EXPECT_EQ(json::parse(long_path->body)["error"], "uri_too_long");
  auto post = client->Post("/api/search", "{}", "application/json");
  EXPECT_EQ(post->status, 405);
  EXPECT_EQ(post->get_header_value("Allow"), "GET, HEAD");
  EXPECT_EQ(json::parse(post->body)["error"], "method_not_allowed");
  auto page = client->Post("/pratiche/qualcosa", "x", "text/plain");
  EXPECT_EQ(page->status, 405);
  EXPECT_EQ(page->get_header_value("Content-Type"), "text/html; charset=utf-8");
  EXPECT_NE(page->body.find("Metodo non consentito"), std::string::npos);
  // A method no route takes is answered at once, body or not: a PUT
  // without one used to wait for it until the read timeout, then say 400.
  for (const char* method : {"PUT", "DELETE", "PATCH", "OPTIONS"}) {
    const std::string answer = raw_http(port(), std::string(method) + " /api/search HTTP/1.1\r\nHost: x\r\n\r\n");
    EXPECT_EQ(raw_status(answer), 405) << method << ": " << answer.substr(0, 200);
    EXPECT_NE(answer.find("Allow: GET, HEAD"), std::string::npos) << method;
  }
  EXPECT_EQ(raw_status(raw_http(port(), "DELETE /non-esiste HTTP/1.1\r\nHost: x\r\n\r\n")), 404);
  for (const char* path : {"/api/search", "/api/taxonomy", "/healthz"}) {
    auto r = client->Get(path);
    EXPECT_FALSE(r->get_header_value("Cache-Control").empty()) << path;
    EXPECT_FALSE(r->get_header_value("X-Request-Id").empty()) << path;
  }
}

}  // namespace
}  // namespace bp::test
