// Test helpers: a temporary folder, a bp::server::Server running on a free
// loopback port in a background thread, and raw HTTP for malformed requests.
#pragma once

#include "temp_dir.h"

#include <arpa/inet.h>
#include <httplib.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <functional>
#include <iterator>
#include <memory>
#include <random>
#include <string>
#include <thread>

#include "bp/server/server.h"
#include "bp/site/pages.h"

namespace bp::test {

namespace fs = std::filesystem;

using bp::test_util::TempDir;
using bp::test_util::write_file;

inline std::string read_file_for_test(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  return std::string(std::istreambuf_iterator<char>(in), {});
}

// The real page templates (web/templates), loaded once per test binary.
inline const site::Pages& pages() {
  static const site::Pages* loaded = [] {
    auto p = site::Pages::load(fs::path(BP_SOURCE_DIR) / "web" / "templates");
    if (!p.ok()) {
      std::fprintf(stderr, "templates: %s\n", p.status().message().c_str());
      std::abort();
    }
    return new site::Pages(std::move(*p));
  }();
  return *loaded;
}

// The server of the given options (port forced to 0) listening in a thread.
class RunningServer {
 public:
  // `before_bind` may mount other modules' routes (as main does).
  RunningServer(server::Options options, const Taxonomy& taxonomy,
                server::SearcherFactory factory,
                const std::function<void(server::Server&)>& before_bind = {}) {
    options.port = 0;
    options.host = "127.0.0.1";
    server_ = std::make_unique<server::Server>(std::move(options), taxonomy, pages(), std::move(factory));
    if (before_bind) before_bind(*server_);
    port_ = server_->bind();
    if (port_ > 0) {
      thread_ = std::thread([this] { server_->listen(); });
      server_->wait_until_ready();
    }
  }
  ~RunningServer() {
    server_->stop();
    if (thread_.joinable()) thread_.join();
  }
  int port() const { return port_; }
  server::Server& server() { return *server_; }
  // A client that sends paths as given (no re-encoding) and does not decompress.
  std::unique_ptr<httplib::Client> client() const {
    auto c = std::make_unique<httplib::Client>("127.0.0.1", port_);
    c->set_url_encode(false);
    c->set_decompress(false);
    c->set_read_timeout(30, 0);
    return c;
  }

 private:
  std::unique_ptr<server::Server> server_;
  std::thread thread_;
  int port_ = -1;
};

// Options for a server on the index at `index_dir` built from the library at
// `content`, serving `web_root` (created if missing), with no access log.
inline server::Options options_on_index(const fs::path& content, const fs::path& index_dir,
                                        const fs::path& web_root) {
  server::Options options;
  options.index_dir = index_dir;
  options.content_root = content;
  options.web_root = web_root;
  options.access_log = nullptr;
  fs::create_directories(web_root);
  return options;
}

// The searcher factory that opens `index_dir` with `taxonomy` (which must
// outlive the server).
inline server::SearcherFactory searcher_on(const fs::path& index_dir, const Taxonomy& taxonomy) {
  return [index_dir, &taxonomy] { return Searcher::open(index_dir, taxonomy); };
}

// A server without an index (searches and /healthz answer 503): the
// searcher factory, and options on the test library with an empty web root
// in `tmp` and no access log.
inline server::SearcherFactory no_index() {
  return [] { return Result<std::unique_ptr<Searcher>>(Status::not_found("no index")); };
}
inline server::Options options_without_index(const TempDir& tmp) {
  server::Options options;
  options.web_root = tmp.path() / "web";
  options.content_root = fs::path(BP_SOURCE_DIR) / "tests/server/library";
  options.index_dir = tmp.path() / "no-index";
  options.access_log = nullptr;
  fs::create_directories(options.web_root);
  return options;
}

// A connected loopback socket to `port`, or -1.
inline int connect_loopback(int port) {
  const int fd = ::socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_port = htons(static_cast<uint16_t>(port));
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  if (fd >= 0 && ::connect(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr) != 0) {
    ::close(fd);
    return -1;
  }
  return fd;
}

// Sends `request` as raw bytes and returns the whole answer ("" on failure).
inline std::string raw_http(int port, const std::string& request) {
  int fd = ::socket(AF_INET, SOCK_STREAM, 0);
  if (fd < 0) return "";
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_port = htons(static_cast<uint16_t>(port));
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  std::string answer;
  if (::connect(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr) == 0 &&
      ::send(fd, request.data(), request.size(), MSG_NOSIGNAL) ==
          static_cast<ssize_t>(request.size())) {
    char buf[4096];
    ssize_t n;
    while ((n = ::recv(fd, buf, sizeof buf, 0)) > 0) answer.append(buf, static_cast<size_t>(n));
  }
  ::close(fd);
  return answer;
}

// Status code of a raw answer ("HTTP/1.1 404 Not Found" -> 404), 0 if none.
inline int raw_status(const std::string& answer) {
  if (answer.size() < 12 || answer.rfind("HTTP/1.", 0) != 0) return 0;
  return std::atoi(answer.substr(9, 3).c_str());
}

// Percent-encodes every byte that is not unreserved.
inline std::string pct(const std::string& s) {
  static const char* hex = "0123456789ABCDEF";
  std::string out;
  for (unsigned char c : s) {
    if (std::isalnum(c) || c == '-' || c == '_' || c == '.' || c == '~') {
      out += static_cast<char>(c);
    } else {
      out += '%';
      out += hex[c >> 4];
      out += hex[c & 15];
    }
  }
  return out;
}

}  // namespace bp::test
