#include "connection_front.h"

#include <fcntl.h>
#include <netdb.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <sys/epoll.h>
#include <sys/eventfd.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <array>
#include <atomic>
#include <cerrno>
#include <unordered_map>
#include <mutex>
#include <string>
#include <system_error>
#include <thread>
#include <vector>

#include "request_framing.h"

namespace bp::server {

using Clock = std::chrono::steady_clock;

namespace {

// How often a worker looks for connections past their deadline: a stalled
// connection is closed at most this long after its deadline.
constexpr std::chrono::milliseconds kSweepEvery{250};

// The epoll id of the shutdown eventfd; connections are numbered from 1.
constexpr std::uint64_t kWakeId = 0;

// Answers written by the front itself (not cpp-httplib), then the connection closes.
constexpr std::string_view kTimeoutAnswer =
    "HTTP/1.1 408 Request Timeout\r\nContent-Type: text/plain; charset=utf-8\r\n"
    "Content-Length: 41\r\nConnection: close\r\n\r\nRichiesta non completata in tempo utile.\n";
constexpr std::string_view kHeadTooLargeAnswer =
    "HTTP/1.1 431 Request Header Fields Too Large\r\nContent-Type: text/plain; charset=utf-8\r\n"
    "Content-Length: 28\r\nConnection: close\r\n\r\nIntestazioni troppo grandi.\n";
constexpr std::string_view kMalformedAnswer =
    "HTTP/1.1 400 Bad Request\r\nContent-Type: text/plain; charset=utf-8\r\n"
    "Content-Length: 49\r\nConnection: close\r\n\r\nIntestazione non valida: spazio prima dei «:».\n";
constexpr std::string_view kNoUploadSlotAnswer =
    "HTTP/1.1 503 Service Unavailable\r\nContent-Type: text/plain; charset=utf-8\r\nRetry-After: 10\r\n"
    "Content-Length: 59\r\nConnection: close\r\n\r\nTroppi invii in corso in questo momento: riprova tra poco.\n";
// The interim answer to "Expect: 100-continue", sent by the front so that
// the body arrives while no worker waits for it.
constexpr std::string_view kContinueAnswer = "HTTP/1.1 100 Continue\r\n\r\n";

std::string numeric_host(const sockaddr_storage& addr, socklen_t len, int* port) {
  *port = 0;
  if (addr.ss_family == AF_INET) *port = ntohs(reinterpret_cast<const sockaddr_in*>(&addr)->sin_port);
  if (addr.ss_family == AF_INET6) *port = ntohs(reinterpret_cast<const sockaddr_in6*>(&addr)->sin6_port);
  std::array<char, NI_MAXHOST> host{};
  if (getnameinfo(reinterpret_cast<const sockaddr*>(&addr), len, host.data(), host.size(), nullptr, 0,
                  NI_NUMERICHOST) != 0)
    return {};
  return host.data();
}

int remaining_ms(Clock::time_point deadline) {
  const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - Clock::now()).count();
  return left <= 0 ? 0 : static_cast<int>(std::min<long long>(left, 60'000));
}

// Waits until `fd` is ready for `events` or `deadline` passes.
bool wait_for(int fd, short events, Clock::time_point deadline) {
  for (;;) {
    pollfd p{fd, events, 0};
    const int n = ::poll(&p, 1, remaining_ms(deadline));
    if (n > 0) return true;
    if (n == 0 && Clock::now() >= deadline) return false;
    if (n < 0 && errno != EINTR) return false;
  }
}

}  // namespace

struct Connection {
  std::uint64_t id = 0;  // ConnectionFront::State::connections
  int fd = -1;
  std::string remote_addr, local_addr;
  int remote_port = 0, local_port = 0;
  std::string in;        // bytes received and not yet read by the parser
  std::size_t pos = 0;   // first unread byte of `in`
  Clock::time_point deadline;
  Clock::time_point waiting_since;
  std::size_t served = 0;
  bool peer_closed = false;  // the client shut its side after a request
  bool busy = false;         // with a worker (not armed in epoll)
  bool continued = false;    // "100 Continue" sent for the request being read
  bool uploading = false;    // holds one of FrontSettings::upload_slots
  // An answer the client has not taken yet (armed for EPOLLOUT until it is
  // sent): its bytes from `pending_at` on, then close or the next request.
  bool writing = false;
  bool close_after_write = false;
  std::string pending;
  std::size_t pending_at = 0;
  std::size_t pending_reserved = 0;  // counted in State::pending_bytes
  std::size_t pending_renewed_at = 0;  // `pending_at` when the deadline was last renewed

  std::string_view unread() const { return std::string_view(in).substr(pos); }
  void compact() {
    in.erase(0, pos);
    pos = 0;
  }
};

namespace {

// cpp-httplib's view of a connection: reads come from the bytes received
// while the request was incomplete, then (only for a request that went to the worker before
// its body, see Framing::kServeNow) from the socket until the request's
// deadline. The socket is non-blocking; waits use poll(), never select(),
// so descriptors above FD_SETSIZE are fine.
class ConnectionStream final : public httplib::Stream {
 public:
  // `out` holds what cpp-httplib writes until flush(): an answer's head and
  // body leave in one send() instead of two (one segment for the client to
  // wake up for). It is the worker's, emptied by flush().
  // Answers up to `keep_whole` bytes are kept until the worker sends them
  // (send_available); larger ones leave in parts, each within
  // `write_timeout`.
  ConnectionStream(Connection& c, std::chrono::milliseconds write_timeout, std::size_t keep_whole, std::string& out)
      : c_(c), write_timeout_(write_timeout), keep_whole_(keep_whole), out_(out) {}

  bool is_readable() const override { return c_.pos < c_.in.size() || wait_for(c_.fd, POLLIN, c_.deadline); }
  bool is_writable() const override { return wait_for(c_.fd, POLLOUT, Clock::now() + write_timeout_); }

  ssize_t read(char* ptr, size_t size) override {
    if (c_.pos < c_.in.size()) {
      const std::size_t n = std::min(size, c_.in.size() - c_.pos);
      std::copy_n(c_.in.data() + c_.pos, n, ptr);
      c_.pos += n;
      return static_cast<ssize_t>(n);
    }
    // What was written must reach the client before waiting for it (a
    // "100 Continue" the client waits for before sending the body).
    if (!flush()) return -1;
    for (;;) {
      if (!wait_for(c_.fd, POLLIN, c_.deadline)) return -1;
      const ssize_t n = ::recv(c_.fd, ptr, size, 0);
      if (n >= 0) return n;
      if (errno != EAGAIN && errno != EWOULDBLOCK && errno != EINTR) return -1;
    }
  }

  ssize_t write(const char* ptr, size_t size) override {
    out_.append(ptr, size);
    if (out_.size() > keep_whole_ && !flush()) return -1;
    return static_cast<ssize_t>(size);
  }

  // Sends what the kernel takes now, without waiting; `*sent` bytes of
  // `out` left. False when the connection failed.
  bool send_available(std::size_t* sent) {
    *sent = 0;
    while (*sent < out_.size()) {
      const ssize_t n = ::send(c_.fd, out_.data() + *sent, out_.size() - *sent, MSG_NOSIGNAL);
      if (n > 0) {
        *sent += static_cast<std::size_t>(n);
      } else if (n < 0 && errno == EINTR) {
        continue;
      } else {
        return n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK);
      }
    }
    return true;
  }

  // Sends what write() kept; false when the client does not take it within
  // the write timeout or the connection failed.
  bool flush() {
    // Each 64 KiB must leave within the write timeout (at least 6.4 KB/s
    // with 10 s), however large the part kept: a slow phone still gets a
    // large file, a client that takes nearly nothing does not hold the
    // worker for long.
    constexpr std::size_t kStep = 64 * 1024;
    auto deadline = Clock::now() + write_timeout_;
    std::size_t done = 0, renewed_at = 0;
    bool ok = true;
    while (done < out_.size()) {
      const ssize_t n = ::send(c_.fd, out_.data() + done, out_.size() - done, MSG_NOSIGNAL);
      if (n > 0) {
        done += static_cast<std::size_t>(n);
        if (done - renewed_at >= kStep) {
          deadline = Clock::now() + write_timeout_;
          renewed_at = done;
        }
      } else if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK || errno == EINTR)) {
        if (!wait_for(c_.fd, POLLOUT, deadline)) {
          ok = false;
          break;
        }
      } else {
        ok = false;
        break;
      }
    }
    out_.clear();
    return ok;
  }

  void get_remote_ip_and_port(std::string& ip, int& port) const override {
    ip = c_.remote_addr;
    port = c_.remote_port;
  }
  void get_local_ip_and_port(std::string& ip, int& port) const override {
    ip = c_.local_addr;
    port = c_.local_port;
  }
  // cpp-httplib uses the descriptor only to answer 500 when it is above
  // FD_SETSIZE (it would select() on it); this stream never selects.
  socket_t socket() const override { return INVALID_SOCKET; }

 private:
  Connection& c_;
  std::chrono::milliseconds write_timeout_;
  std::size_t keep_whole_;
  std::string& out_;
};

}  // namespace

struct ConnectionFront::State {
  FrontSettings settings;
  ServeRequest serve;
  int epoll_fd = -1;
  int wake_fd = -1;  // readable once shutdown() starts: every worker leaves epoll_wait
  std::atomic<bool> stopping{false};
  std::atomic<std::size_t> open{0};
  std::atomic<std::uint64_t> timed_out{0}, evicted{0};
  std::size_t uploads = 0;  // connections holding an upload slot; under `mutex`
  std::atomic<std::size_t> pending_bytes{0};  // of the answers waiting for their clients

  // Every connection by id, not by descriptor: a descriptor number comes
  // back with the next accept once closed, and an event a worker read just
  // before its connection was closed must not reach the next one. A
  // connection that waits for a request (registered in epoll, armed for one
  // event: EPOLLONESHOT) belongs to whoever holds `mutex`; one with a
  // worker (`busy`) belongs to that worker, which uses it without the lock
  // until it arms it again or closes it.
  std::mutex mutex;
  std::unordered_map<std::uint64_t, std::unique_ptr<Connection>> connections;
  std::uint64_t next_id = kWakeId + 1;
  Clock::time_point next_sweep{};

  std::vector<std::thread> workers;
  bool shut = false;

  std::size_t body_limit() const { return std::max(settings.max_body_bytes, settings.max_upload_bytes); }

  Framing frame(const Connection& c) const { return frame_request(c.unread(), settings.max_head_bytes, body_limit()); }

  // Reads what the client sent without blocking, up to the request cap (an
  // upload's only once it holds a slot); false at end of stream or on an
  // error.
  bool receive(Connection* c) {
    char buf[16 * 1024];
    const std::size_t cap = settings.max_head_bytes + (c->uploading ? body_limit() : settings.max_body_bytes);
    for (;;) {
      const ssize_t n = ::recv(c->fd, buf, sizeof buf, 0);
      if (n > 0) {
        c->in.append(buf, static_cast<std::size_t>(n));
        if (c->unread().size() > cap) return true;
        continue;
      }
      if (n < 0 && errno == EINTR) continue;
      return n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK);
    }
  }

  // The functions below run with `mutex` held.

  // Closes a connection that waited too long or must make room: 408 when it
  // had sent part of a request (read first, so that the answer is not lost
  // to a reset for unread bytes), silently when it was idle.
  void close_waiting(Connection* c) {
    if (c->writing) return close_connection(c);  // mid-answer: nothing more to say
    receive(c);
    close_connection(c, c->unread().empty() ? std::string_view() : kTimeoutAnswer);
  }

  void release_upload(Connection* c) {
    if (!c->uploading) return;
    c->uploading = false;
    --uploads;
  }

  void close_connection(Connection* c, std::string_view last_words = {}) {
    release_upload(c);
    release_pending(c);
    ::epoll_ctl(epoll_fd, EPOLL_CTL_DEL, c->fd, nullptr);
    // Best effort: a client that reads nothing just misses the explanation.
    if (!last_words.empty()) (void)::send(c->fd, last_words.data(), last_words.size(), MSG_NOSIGNAL | MSG_DONTWAIT);
    ::shutdown(c->fd, SHUT_RDWR);
    ::close(c->fd);
    connections.erase(c->id);
    open.fetch_sub(1);
  }

  void release_pending(Connection* c) {
    pending_bytes.fetch_sub(c->pending_reserved);
    c->pending_reserved = 0;
    c->writing = false;
    std::string().swap(c->pending);
    c->pending_at = 0;
    c->pending_renewed_at = 0;
  }

  // Gives the connection back to epoll for its next bytes (or, while it
  // writes, for room to send more): one event, taken by one worker.
  void arm(Connection* c, int op) {
    c->busy = false;
    epoll_event ev{};
    ev.events = (c->writing ? EPOLLOUT : EPOLLIN | EPOLLRDHUP) | EPOLLONESHOT;
    ev.data.u64 = c->id;
    if (::epoll_ctl(epoll_fd, op, c->fd, &ev) != 0) close_connection(c);
  }

  // Starts waiting for a request (a new connection's first, or the next
  // one after an answer) until `deadline`.
  void wait_for_request(Connection* c, Clock::time_point deadline, int op) {
    c->deadline = deadline;
    c->waiting_since = Clock::now();
    arm(c, op);
  }

  // Closes the connection that has waited longest for a request, to make
  // room; false when every connection is with a worker.
  bool evict_longest_waiting() {
    Connection* oldest = nullptr;
    for (auto& [id, c] : connections)
      if (!c->busy && (!oldest || c->waiting_since < oldest->waiting_since)) oldest = c.get();
    if (!oldest) return false;
    evicted.fetch_add(1);
    close_waiting(oldest);
    return true;
  }

  void sweep() {
    const auto now = Clock::now();
    std::vector<Connection*> late;
    for (auto& [id, c] : connections)
      if (!c->busy && c->deadline <= now) late.push_back(c.get());
    timed_out.fetch_add(late.size());
    for (Connection* c : late) close_waiting(c);
  }

  // The lock is not held from here on.

  void take_accepted(int fd) {
    auto c = std::make_unique<Connection>();
    c->fd = fd;
    ::fcntl(fd, F_SETFL, ::fcntl(fd, F_GETFL) | O_NONBLOCK);
    const int on = 1;
    ::setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &on, sizeof on);
    sockaddr_storage addr{};
    socklen_t len = sizeof addr;
    if (::getpeername(fd, reinterpret_cast<sockaddr*>(&addr), &len) == 0)
      c->remote_addr = numeric_host(addr, len, &c->remote_port);
    len = sizeof addr;
    if (::getsockname(fd, reinterpret_cast<sockaddr*>(&addr), &len) == 0)
      c->local_addr = numeric_host(addr, len, &c->local_port);
    std::lock_guard lock(mutex);
    if (stopping || (connections.size() >= settings.max_connections && !evict_longest_waiting())) {
      ::close(fd);
      return;
    }
    c->id = next_id++;
    Connection* raw = c.get();
    connections.emplace(raw->id, std::move(c));
    open.fetch_add(1);
    wait_for_request(raw, Clock::now() + settings.request_timeout, EPOLL_CTL_ADD);
  }

  // What a connection does after its worker served what it could.
  enum class Next { kClose, kWaitForRequest, kWrite };

  // Serves whole requests on `c` (several when a client pipelines them):
  // kWaitForRequest when the connection stays open for another request,
  // kWrite when the client has not taken the whole answer yet (the rest is
  // in c.pending), kClose when it ends.
  Next serve_connection(Connection& c, std::string& out) {
    for (;;) {
      ++c.served;
      const bool close = c.peer_closed || c.served >= settings.keep_alive_max_requests;
      bool client_closed = false;
      ConnectionStream stream(c, settings.write_timeout, settings.keep_whole_bytes, out);
      const bool served = serve(stream, close, client_closed);
      // The answer is sent whatever serve() says: a connection closed after
      // its answer (close_after in server.cc) reports failure on purpose.
      const bool last = !served || client_closed || close;
      std::size_t sent = 0;
      if (!stream.send_available(&sent)) return Next::kClose;
      if (sent < out.size()) {
        const std::size_t rest = out.size() - sent;
        if (pending_bytes.fetch_add(rest) + rest <= settings.max_pending_bytes) {
          c.pending.assign(out, sent);
          c.pending_at = 0;
          c.pending_renewed_at = 0;
          c.pending_reserved = rest;
          c.close_after_write = last;
          c.writing = true;
          return Next::kWrite;
        }
        // Too much waits already: this worker waits, as for a large answer.
        pending_bytes.fetch_sub(rest);
        out.erase(0, sent);
        if (!stream.flush()) return Next::kClose;
      }
      out.clear();
      if (last) return Next::kClose;
      const Framing next = frame(c);
      if (next.kind != Framing::Kind::kComplete && next.kind != Framing::Kind::kServeNow) return Next::kWaitForRequest;
      c.deadline = Clock::now() + settings.request_timeout;
    }
  }

  // Sends more of `c`'s waiting answer, as much as the client takes now;
  // once it is all sent, closes the connection or goes on with its next
  // request (one may have come already, pipelined).
  void on_writable(Connection* c, std::string& out) {
    bool failed = false;
    while (c->pending_at < c->pending.size()) {
      const ssize_t n =
          ::send(c->fd, c->pending.data() + c->pending_at, c->pending.size() - c->pending_at, MSG_NOSIGNAL);
      if (n > 0) {
        c->pending_at += static_cast<std::size_t>(n);
      } else if (n < 0 && errno == EINTR) {
        continue;
      } else {
        failed = !(n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK));
        break;
      }
    }
    {
      std::lock_guard lock(mutex);
      if (failed || stopping) return close_connection(c);
      if (c->pending_at < c->pending.size()) {
        // As in ConnectionStream::flush: each 64 KiB the client takes
        // renews the deadline; taking less for the write timeout ends the
        // connection.
        if (c->pending_at - c->pending_renewed_at >= 64 * 1024) {
          c->deadline = Clock::now() + settings.write_timeout;
          c->pending_renewed_at = c->pending_at;
        }
        return arm(c, EPOLL_CTL_MOD);
      }
      release_pending(c);
      if (c->close_after_write) return close_connection(c);
    }
    c->compact();
    c->deadline = Clock::now() + (c->unread().empty() ? settings.keep_alive_timeout : settings.request_timeout);
    c->waiting_since = Clock::now();
    on_readable(c, out);
  }

  // Reads what the client sent on `c` (this worker's); answers a whole
  // request, answers an oversized head, closes a connection the client
  // closed, or arms the connection again for the rest of a request.
  void on_readable(Connection* c, std::string& out) {
    const bool was_empty = c->unread().empty();
    const bool eof = !receive(c);
    // On a kept-alive connection the next request's time starts with its
    // first byte; a new connection's first request counts from the accept.
    if (was_empty && !c->unread().empty() && c->served > 0) c->deadline = Clock::now() + settings.request_timeout;
    const Framing f = frame(*c);
    if (f.kind == Framing::Kind::kHeadTooLarge) {
      std::lock_guard lock(mutex);
      return close_connection(c, kHeadTooLargeAnswer);
    }
    if (f.kind == Framing::Kind::kMalformed) {
      std::lock_guard lock(mutex);
      return close_connection(c, kMalformedAnswer);
    }
    if (f.kind == Framing::Kind::kIncomplete) {
      std::lock_guard lock(mutex);
      if (eof) return close_connection(c);
      if (f.request_bytes > settings.max_head_bytes + settings.max_body_bytes && !c->uploading) {
        if (uploads >= settings.upload_slots) return close_connection(c, kNoUploadSlotAnswer);
        c->uploading = true;
        ++uploads;
      }
      if (f.expects_continue && !c->continued) {
        c->continued = true;
        // Best effort, as the client may send its body anyway after a while.
        (void)::send(c->fd, kContinueAnswer.data(), kContinueAnswer.size(), MSG_NOSIGNAL | MSG_DONTWAIT);
      }
      return arm(c, EPOLL_CTL_MOD);  // same deadline: the request's time runs on
    }
    {
      std::lock_guard lock(mutex);
      release_upload(c);  // the body is here; it is freed with the answer
    }
    c->continued = false;
    c->peer_closed = eof;
    Next next = Next::kClose;
    try {
      next = serve_connection(*c, out);
    } catch (...) {
      next = Next::kClose;  // the server's exception handler answers; anything past it closes the connection
    }
    out.clear();  // never the start of another connection's answer
    if (out.capacity() > 256 * 1024) std::string().swap(out);
    std::lock_guard lock(mutex);
    if (next == Next::kClose || stopping) return close_connection(c);
    if (next == Next::kWrite) {
      c->deadline = Clock::now() + settings.write_timeout;
      c->waiting_since = Clock::now();
      return arm(c, EPOLL_CTL_MOD);
    }
    c->compact();
    wait_for_request(c, Clock::now() + (c->unread().empty() ? settings.keep_alive_timeout : settings.request_timeout),
                     EPOLL_CTL_MOD);
  }

  // Each worker waits in epoll itself and serves the connection whose bytes
  // woke it: one thread wakes per request, and no connection is handed from
  // thread to thread. Whichever worker wakes after kSweepEvery closes the
  // connections past their deadline.
  void run_worker() {
    std::string out;  // the answer being written (ConnectionStream), its capacity kept
    for (;;) {
      epoll_event ev{};
      const int n = ::epoll_wait(epoll_fd, &ev, 1, static_cast<int>(kSweepEvery.count()));
      if (stopping) return;
      Connection* c = nullptr;
      {
        std::lock_guard lock(mutex);
        const auto now = Clock::now();
        if (now >= next_sweep) {
          sweep();
          next_sweep = now + kSweepEvery;
        }
        if (n == 1 && ev.data.u64 != kWakeId) {
          // Gone when it was closed (swept, evicted) after the event was read.
          auto it = connections.find(ev.data.u64);
          if (it != connections.end() && !it->second->busy) {
            c = it->second.get();
            c->busy = true;
          }
        }
      }
      if (c && c->writing)
        on_writable(c, out);
      else if (c)
        on_readable(c, out);
    }
  }
};

ConnectionFront::ConnectionFront(FrontSettings settings, ServeRequest serve) : state_(std::make_unique<State>()) {
  State& s = *state_;
  s.settings = settings;
  s.serve = std::move(serve);
  // Leave room below the descriptor limit for the index, the database and logs.
  rlimit limit{};
  if (::getrlimit(RLIMIT_NOFILE, &limit) == 0 && limit.rlim_cur != RLIM_INFINITY && limit.rlim_cur > 128)
    s.settings.max_connections = std::min<std::size_t>(s.settings.max_connections, limit.rlim_cur - 64);
  s.epoll_fd = ::epoll_create1(EPOLL_CLOEXEC);
  s.wake_fd = ::eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC);
  if (s.epoll_fd < 0 || s.wake_fd < 0) throw std::system_error(errno, std::generic_category(), "epoll");
  // Level-triggered and never read: once written it wakes every worker.
  epoll_event ev{};
  ev.events = EPOLLIN;
  ev.data.u64 = kWakeId;
  ::epoll_ctl(s.epoll_fd, EPOLL_CTL_ADD, s.wake_fd, &ev);
  s.next_sweep = Clock::now() + kSweepEvery;
  for (int i = 0; i < std::max(1, settings.threads); ++i) s.workers.emplace_back([&s] { s.run_worker(); });
}

ConnectionFront::~ConnectionFront() { shutdown(); }

void ConnectionFront::adopt(int fd) { state_->take_accepted(fd); }

void ConnectionFront::shutdown() {
  State& s = *state_;
  if (s.shut) return;
  s.shut = true;
  s.stopping = true;
  const std::uint64_t one = 1;
  [[maybe_unused]] const auto n = ::write(s.wake_fd, &one, sizeof one);
  // A worker serving a request finishes it, then closes its connection.
  for (auto& w : s.workers) w.join();
  {
    std::lock_guard lock(s.mutex);
    while (!s.connections.empty()) s.close_connection(s.connections.begin()->second.get());
  }
  ::close(s.epoll_fd);
  ::close(s.wake_fd);
}

ConnectionFront::Counts ConnectionFront::counts() const {
  return {state_->open.load(), state_->timed_out.load(), state_->evicted.load()};
}

namespace {

// Runs each accepted socket's task at once on the accept thread: the task
// only hands the socket to the front, which does the waiting.
class HandOver final : public httplib::TaskQueue {
 public:
  explicit HandOver(std::function<void()> on_shutdown) : on_shutdown_(std::move(on_shutdown)) {}
  void enqueue(std::function<void()> fn) override { fn(); }
  void shutdown() override { on_shutdown_(); }

 private:
  std::function<void()> on_shutdown_;
};

}  // namespace

FrontedServer::FrontedServer(FrontSettings settings) : settings_(settings) {
  new_task_queue = [this] {
    auto front = std::make_shared<ConnectionFront>(settings_, [this](httplib::Stream& strm, bool close, bool& closed) {
      return process_request(strm, close, closed, nullptr);
    });
    {
      std::lock_guard lock(front_mutex_);
      front_ = front;
    }
    return new HandOver([this] {
      std::shared_ptr<ConnectionFront> front;
      {
        std::lock_guard lock(front_mutex_);
        front.swap(front_);
      }
      if (front) front->shutdown();
    });
  };
}

ConnectionFront::Counts FrontedServer::counts() const {
  std::lock_guard lock(front_mutex_);
  return front_ ? front_->counts() : ConnectionFront::Counts{};
}

bool FrontedServer::has_front() const {
  std::lock_guard lock(front_mutex_);
  return front_ != nullptr;
}

bool FrontedServer::process_and_close_socket(socket_t sock) {
  std::shared_ptr<ConnectionFront> front;
  {
    std::lock_guard lock(front_mutex_);
    front = front_;
  }
  if (!front) {
    ::close(sock);
    return false;
  }
  front->adopt(sock);
  return true;
}

}  // namespace bp::server
