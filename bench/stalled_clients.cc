// bp-bench-stalled: how a running bp-server answers a normal visitor while
// slow or stalled clients hold connections to it (issue 13). For each shape
// of misbehaving client it opens the connections, then measures fresh
// GET /healthz and GET /api/search requests from another client (each with
// a 2 s limit, counted as unanswered beyond it), then how long the server
// takes to close the misbehaving connections and whether its file
// descriptors come back to where they were ("none": the same requests with
// no misbehaving client, the control). Prints one Markdown row per
// shape, labelled with --label (bench/stalled-clients runs it against the
// default server and against --thread-per-connection).
//   bp-bench-stalled --port N --pid PID [--label TEXT] [--stalled 200]
//                    [--probes 100] [--query acqua] [--shapes none,partial,trickle,idle,method,slowread]
#include <httplib.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdio>
#include <filesystem>
#include <functional>
#include <iostream>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

namespace {

using Clock = std::chrono::steady_clock;
using std::chrono::milliseconds;

struct Settings {
  int port = 18090;
  int pid = 0;
  std::string label = "bp-server";
  int stalled = 200;
  int probes = 100;
  std::string query = "acqua";
  std::vector<std::string> shapes = {"none", "partial", "trickle", "idle", "method", "slowread"};
};

// `receive_buffer` > 0 shrinks the client's receive buffer (a slow reader).
int connect_to(int port, int receive_buffer = 0) {
  const int fd = ::socket(AF_INET, SOCK_STREAM, 0);
  if (receive_buffer > 0) ::setsockopt(fd, SOL_SOCKET, SO_RCVBUF, &receive_buffer, sizeof receive_buffer);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_port = htons(static_cast<uint16_t>(port));
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  if (::connect(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr) != 0) {
    ::close(fd);
    return -1;
  }
  return fd;
}

void send_text(int fd, const std::string& s) { ::send(fd, s.data(), s.size(), MSG_NOSIGNAL); }

std::size_t server_fds(int pid) {
  std::size_t n = 0;
  std::error_code ec;
  for (std::filesystem::directory_iterator it("/proc/" + std::to_string(pid) + "/fd", ec), end; !ec && it != end;
       it.increment(ec))
    ++n;
  return n;
}

double percentile(std::vector<double> v, double p) {
  if (v.empty()) return 0;
  std::sort(v.begin(), v.end());
  return v[std::min(v.size() - 1, static_cast<std::size_t>(p * static_cast<double>(v.size())))];
}

// Fresh-connection requests from a well-behaved client, alternating
// /healthz and a search; milliseconds of the answered ones, and how many
// got no answer within 2 s. Stops after `count` probes or 20 s.
struct Probes {
  std::vector<double> ms;
  int unanswered = 0;
};
Probes probe(const Settings& s) {
  Probes out;
  const auto stop = Clock::now() + std::chrono::seconds(20);
  const std::string search = "/api/search?q=" + s.query;
  for (int i = 0; i < s.probes && Clock::now() < stop; ++i) {
    httplib::Client client("127.0.0.1", s.port);
    client.set_connection_timeout(2, 0);
    client.set_read_timeout(2, 0);
    const auto t0 = Clock::now();
    auto res = client.Get(i % 2 ? search.c_str() : "/healthz");
    const double ms = std::chrono::duration<double, std::milli>(Clock::now() - t0).count();
    if (res && res->status > 0 && ms < 2000) out.ms.push_back(ms);
    else ++out.unanswered;
  }
  return out;
}

// Seconds until the server has closed every connection in `fds` (EOF or
// reset), at most `limit`; -1 when some are still open then.
double seconds_until_closed(std::vector<int>& fds, Clock::time_point since, std::chrono::seconds limit,
                            const std::function<void()>& tick = {}) {
  std::vector<bool> closed(fds.size(), false);
  std::size_t left = fds.size();
  const auto stop = Clock::now() + limit;
  while (left > 0 && Clock::now() < stop) {
    std::vector<pollfd> p;
    for (std::size_t i = 0; i < fds.size(); ++i)
      if (!closed[i]) p.push_back({fds[i], POLLIN, 0});
    if (tick) tick();
    ::poll(p.data(), p.size(), 100);
    for (const auto& q : p) {
      if (!q.revents) continue;
      char buf[4096];
      const ssize_t n = ::recv(q.fd, buf, sizeof buf, MSG_DONTWAIT);
      if (n <= 0) {
        const auto at = std::find(fds.begin(), fds.end(), q.fd) - fds.begin();
        closed[static_cast<std::size_t>(at)] = true;
        --left;
      }
    }
  }
  if (left > 0) return -1;
  return std::chrono::duration<double>(Clock::now() - since).count();
}

void run_shape(const Settings& s, const std::string& shape) {
  // Warm up first: each worker thread opens its index handles on its first
  // search, which must not count as descriptors left behind.
  Settings warm = s;
  warm.probes = 50;
  probe(warm);
  const std::size_t fds_before = server_fds(s.pid);
  std::vector<int> conns;
  const int count = shape == "none" ? 0 : shape == "partial" ? s.stalled : 8;
  for (int i = 0; i < count; ++i) {
    const int fd = connect_to(s.port, shape == "slowread" ? 4096 : 0);
    if (fd < 0) continue;
    // A client that asks for pages and reads none of them: 100 home pages
    // pipelined, far more than the kernel buffers even on loopback.
    if (shape == "slowread")
      for (int r = 0; r < 100; ++r)
        send_text(fd,
                  std::string("GET / HTTP/1.1\r\nHost: bench\r\n") + (r == 99 ? "Connection: close\r\n" : "") + "\r\n");
    if (shape == "partial") send_text(fd, "GET /healthz HTTP/1.1\r\nHost: bench\r\n");
    if (shape == "trickle") send_text(fd, "GET /healthz HTTP/1.1\r\n");
    if (shape == "idle") send_text(fd, "GET /healthz HTTP/1.1\r\nHost: bench\r\n\r\n");
    if (shape == "method") send_text(fd, "BREW /healthz HTTP/1.1\r\nHost: bench\r\n\r\n");
    conns.push_back(fd);
  }
  const auto since = Clock::now();
  // The trickling clients send one header line every 2 s for as long as
  // they are open.
  std::atomic<bool> trickling{shape == "trickle"};
  std::thread trickler([&] {
    int line = 0;
    auto next = Clock::now() + std::chrono::seconds(2);
    while (trickling) {
      if (Clock::now() >= next) {
        for (int fd : conns) send_text(fd, "X-Line-" + std::to_string(line) + ": y\r\n");
        ++line;
        next += std::chrono::seconds(2);
      }
      std::this_thread::sleep_for(milliseconds(20));
    }
  });
  std::this_thread::sleep_for(milliseconds(200));  // let the server see them all
  const Probes p = probe(s);
  // idle/method connections read their first answer before the wait for EOF.
  const double closed_after = seconds_until_closed(conns, since, std::chrono::seconds(150));
  trickling = false;
  trickler.join();
  for (int fd : conns) ::close(fd);
  std::size_t fds_after = server_fds(s.pid);
  for (int i = 0; i < 100 && fds_after > fds_before; ++i) {
    std::this_thread::sleep_for(milliseconds(100));
    fds_after = server_fds(s.pid);
  }
  char row[512];
  char after[32];
  std::snprintf(after, sizeof after, "%.1f s", closed_after);
  const std::string closed = count == 0 ? "-" : closed_after < 0 ? "still open at 150 s" : after;
  std::snprintf(row, sizeof row, "| %s | %s | %d | %d/%d | %.1f | %.1f | %s | %zu → %zu |\n", s.label.c_str(),
                shape.c_str(), count, static_cast<int>(p.ms.size()), static_cast<int>(p.ms.size()) + p.unanswered,
                percentile(p.ms, 0.5), percentile(p.ms, 0.99), closed.c_str(), fds_before, fds_after);
  std::cout << row << std::flush;
}

}  // namespace

int main(int argc, char** argv) try {
  Settings s;
  for (int i = 1; i + 1 < argc; i += 2) {
    const std::string f = argv[i];
    const std::string v = argv[i + 1];
    if (f == "--port") s.port = std::stoi(v);
    else if (f == "--pid") s.pid = std::stoi(v);
    else if (f == "--label") s.label = v;
    else if (f == "--stalled") s.stalled = std::stoi(v);
    else if (f == "--probes") s.probes = std::stoi(v);
    else if (f == "--query") s.query = v;
    else if (f == "--shapes") {
      s.shapes.clear();
      std::stringstream list(v);
      for (std::string shape; std::getline(list, shape, ',');) s.shapes.push_back(shape);
    } else {
      throw std::runtime_error("unknown option " + f);
    }
  }
  if (s.pid <= 0) throw std::runtime_error("--pid of the bp-server is required (its descriptors are counted)");
  for (const auto& shape : s.shapes) run_shape(s, shape);
  return 0;
} catch (const std::exception& e) {
  std::cerr << "bp-bench-stalled: " << e.what() << "\n";
  return 1;
}
