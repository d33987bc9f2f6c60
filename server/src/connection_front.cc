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
#include <condition_variable>
#include <deque>
#include <map>
#include <mutex>
#include <string>
#include <system_error>
#include <thread>
#include <vector>

#include "request_framing.h"

namespace bp::server {

using Clock = std::chrono::steady_clock;

namespace {

// How often the epoll thread looks for connections past their deadline: a
// stalled connection is closed at most this long after its deadline.
constexpr std::chrono::milliseconds kSweepEvery{250};

// Answers written by the epoll thread itself, then the connection closes.
constexpr std::string_view kTimeoutAnswer =
    "HTTP/1.1 408 Request Timeout\r\nContent-Type: text/plain; charset=utf-8\r\n"
    "Content-Length: 41\r\nConnection: close\r\n\r\nRichiesta non completata in tempo utile.\n";
constexpr std::string_view kHeadTooLargeAnswer =
    "HTTP/1.1 431 Request Header Fields Too Large\r\nContent-Type: text/plain; charset=utf-8\r\n"
    "Content-Length: 28\r\nConnection: close\r\n\r\nIntestazioni troppo grandi.\n";

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
  int fd = -1;
  std::string remote_addr, local_addr;
  int remote_port = 0, local_port = 0;
  std::string in;        // bytes received and not yet read by the parser
  std::size_t pos = 0;   // first unread byte of `in`
  Clock::time_point deadline;
  Clock::time_point waiting_since;
  std::size_t served = 0;
  bool peer_closed = false;  // the client shut its side after a request
  bool busy = false;         // with a worker (not in epoll)

  std::string_view unread() const { return std::string_view(in).substr(pos); }
  void compact() {
    in.erase(0, pos);
    pos = 0;
  }
};

namespace {

// cpp-httplib's view of a connection: reads come from the bytes the epoll
// thread buffered, then (only for a request that went to the worker before
// its body, see Framing::kServeNow) from the socket until the request's
// deadline. The socket is non-blocking; waits use poll(), never select(),
// so descriptors above FD_SETSIZE are fine.
class ConnectionStream final : public httplib::Stream {
 public:
  ConnectionStream(Connection& c, std::chrono::milliseconds write_timeout)
      : c_(c), write_timeout_(write_timeout) {}

  bool is_readable() const override { return c_.pos < c_.in.size() || wait_for(c_.fd, POLLIN, c_.deadline); }
  bool is_writable() const override { return wait_for(c_.fd, POLLOUT, Clock::now() + write_timeout_); }

  ssize_t read(char* ptr, size_t size) override {
    if (c_.pos < c_.in.size()) {
      const std::size_t n = std::min(size, c_.in.size() - c_.pos);
      std::copy_n(c_.in.data() + c_.pos, n, ptr);
      c_.pos += n;
      return static_cast<ssize_t>(n);
    }
    for (;;) {
      if (!wait_for(c_.fd, POLLIN, c_.deadline)) return -1;
      const ssize_t n = ::recv(c_.fd, ptr, size, 0);
      if (n >= 0) return n;
      if (errno != EAGAIN && errno != EWOULDBLOCK && errno != EINTR) return -1;
    }
  }

  ssize_t write(const char* ptr, size_t size) override {
    const auto deadline = Clock::now() + write_timeout_;
    std::size_t done = 0;
    while (done < size) {
      const ssize_t n = ::send(c_.fd, ptr + done, size - done, MSG_NOSIGNAL);
      if (n > 0) {
        done += static_cast<std::size_t>(n);
      } else if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK || errno == EINTR)) {
        if (!wait_for(c_.fd, POLLOUT, deadline)) return -1;
      } else {
        return -1;
      }
    }
    return static_cast<ssize_t>(size);
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
};

}  // namespace

struct ConnectionFront::State {
  FrontSettings settings;
  ServeRequest serve;
  int epoll_fd = -1;
  int wake_fd = -1;
  std::atomic<bool> stopping{false};
  std::atomic<std::size_t> open{0};
  std::atomic<std::uint64_t> timed_out{0}, evicted{0};

  // Owned by the epoll thread (and by shutdown() once threads are joined).
  std::map<int, std::unique_ptr<Connection>> connections;
  Clock::time_point next_sweep{};

  // A worker waiting for a request. Idle workers are woken last in, first
  // out: a request goes to the worker that finished most recently, whose
  // Searcher (its Xapian cursors, its stem cache), heap and core caches are
  // still warm. One shared condition variable woke them in turn (the kernel
  // wakes the longest waiter), so one connection's requests went round all
  // eight workers, each time to the one with the coldest caches.
  struct IdleWorker {
    std::condition_variable wake;
    bool woken = false;
  };

  std::mutex handoff_mutex;          // guards the queues below
  std::vector<int> accepted;                                 // accept thread -> epoll thread
  std::deque<Connection*> ready;                             // epoll thread -> workers
  std::vector<IdleWorker*> idle;                             // most recently idle last
  std::vector<std::pair<Connection*, bool>> returned;        // workers -> epoll thread (keep?)
  bool workers_stop = false;

  std::thread reactor;
  std::vector<std::thread> workers;
  bool shut = false;

  void wake() const {
    const std::uint64_t one = 1;
    [[maybe_unused]] const auto n = ::write(wake_fd, &one, sizeof one);
  }

  Framing frame(const Connection& c) const {
    return frame_request(c.unread(), settings.max_head_bytes, settings.max_body_bytes);
  }

  // Reads what the client sent without blocking, up to the request cap;
  // false at end of stream or on an error.
  bool receive(Connection* c) {
    char buf[16 * 1024];
    for (;;) {
      const ssize_t n = ::recv(c->fd, buf, sizeof buf, 0);
      if (n > 0) {
        c->in.append(buf, static_cast<std::size_t>(n));
        if (c->in.size() > settings.max_head_bytes + settings.max_body_bytes) return true;
        continue;
      }
      if (n < 0 && errno == EINTR) continue;
      return n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK);
    }
  }

  // Closes a connection that waited too long or must make room: 408 when it
  // had sent part of a request (read first, so that the answer is not lost
  // to a reset for unread bytes), silently when it was idle.
  void close_waiting(Connection* c) {
    receive(c);
    close_connection(c, c->unread().empty() ? std::string_view() : kTimeoutAnswer);
  }

  void close_connection(Connection* c, std::string_view last_words = {}) {
    if (!c->busy) ::epoll_ctl(epoll_fd, EPOLL_CTL_DEL, c->fd, nullptr);
    // Best effort: a client that reads nothing just misses the explanation.
    if (!last_words.empty()) (void)::send(c->fd, last_words.data(), last_words.size(), MSG_NOSIGNAL | MSG_DONTWAIT);
    ::shutdown(c->fd, SHUT_RDWR);
    ::close(c->fd);
    connections.erase(c->fd);
    open.fetch_sub(1);
  }

  void wait_for_request(Connection* c, Clock::time_point deadline) {
    c->busy = false;
    c->deadline = deadline;
    c->waiting_since = Clock::now();
    epoll_event ev{};
    ev.events = EPOLLIN | EPOLLRDHUP;
    ev.data.fd = c->fd;
    if (::epoll_ctl(epoll_fd, EPOLL_CTL_ADD, c->fd, &ev) != 0) close_connection(c);
  }

  void dispatch(Connection* c) {
    ::epoll_ctl(epoll_fd, EPOLL_CTL_DEL, c->fd, nullptr);
    c->busy = true;
    IdleWorker* worker = nullptr;  // none: every worker is busy, the first to finish takes it
    {
      std::lock_guard lock(handoff_mutex);
      ready.push_back(c);
      if (!idle.empty()) {
        worker = idle.back();
        idle.pop_back();
        worker->woken = true;
      }
    }
    // Outside the lock, so that the worker does not wake into a held mutex.
    // It is still there: workers stop only after this (epoll) thread has.
    if (worker) worker->wake.notify_one();
  }

  // Closes the connection that has waited longest for a request, to make
  // room; false when every connection is with a worker.
  bool evict_longest_waiting() {
    Connection* oldest = nullptr;
    for (auto& [fd, c] : connections)
      if (!c->busy && (!oldest || c->waiting_since < oldest->waiting_since)) oldest = c.get();
    if (!oldest) return false;
    evicted.fetch_add(1);
    close_waiting(oldest);
    return true;
  }

  void take_accepted(int fd) {
    if (connections.size() >= settings.max_connections && !evict_longest_waiting()) {
      ::close(fd);
      return;
    }
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
    Connection* raw = c.get();
    connections.emplace(fd, std::move(c));
    open.fetch_add(1);
    wait_for_request(raw, Clock::now() + settings.request_timeout);
  }

  // Reads what the client sent; dispatches a whole request, answers an
  // oversized head, closes a connection the client closed.
  void on_readable(Connection* c) {
    const bool was_empty = c->unread().empty();
    const bool eof = !receive(c);
    // On a kept-alive connection the next request's time starts with its
    // first byte; a new connection's first request counts from the accept.
    if (was_empty && !c->unread().empty() && c->served > 0) c->deadline = Clock::now() + settings.request_timeout;
    const Framing f = frame(*c);
    if (f.kind == Framing::Kind::kHeadTooLarge) return close_connection(c, kHeadTooLargeAnswer);
    if (f.kind == Framing::Kind::kIncomplete) {
      if (eof) close_connection(c);
      return;
    }
    c->peer_closed = eof;
    dispatch(c);
  }

  void on_returned(Connection* c, bool keep) {
    if (!keep || stopping) return close_connection(c);
    c->compact();
    const auto now = Clock::now();
    wait_for_request(c, now + (c->unread().empty() ? settings.keep_alive_timeout : settings.request_timeout));
  }

  void sweep() {
    const auto now = Clock::now();
    std::vector<Connection*> late;
    for (auto& [fd, c] : connections)
      if (!c->busy && c->deadline <= now) late.push_back(c.get());
    timed_out.fetch_add(late.size());
    for (Connection* c : late) close_waiting(c);
  }

  void run_reactor() {
    std::array<epoll_event, 64> events;
    while (!stopping) {
      const int n = ::epoll_wait(epoll_fd, events.data(), static_cast<int>(events.size()),
                                 static_cast<int>(kSweepEvery.count()));
      for (int i = 0; i < n; ++i) {
        const int fd = events[static_cast<std::size_t>(i)].data.fd;
        if (fd == wake_fd) {
          std::uint64_t count;
          [[maybe_unused]] const auto r = ::read(wake_fd, &count, sizeof count);
          std::vector<int> accepted_now;
          std::vector<std::pair<Connection*, bool>> returned_now;
          {
            std::lock_guard lock(handoff_mutex);
            accepted_now.swap(accepted);
            returned_now.swap(returned);
          }
          for (auto [c, keep] : returned_now) on_returned(c, keep);
          for (int a : accepted_now) take_accepted(a);
          continue;
        }
        auto it = connections.find(fd);
        if (it != connections.end() && !it->second->busy) on_readable(it->second.get());
      }
      if (Clock::now() >= next_sweep) {
        sweep();
        next_sweep = Clock::now() + kSweepEvery;
      }
    }
  }

  // Serves whole requests on `c` (several when a client pipelines them):
  // true when the connection stays open for another request.
  bool serve_connection(Connection& c) {
    for (;;) {
      ++c.served;
      const bool close = c.peer_closed || c.served >= settings.keep_alive_max_requests;
      bool client_closed = false;
      ConnectionStream stream(c, settings.write_timeout);
      if (!serve(stream, close, client_closed) || client_closed || close) return false;
      const Framing next = frame(c);
      if (next.kind != Framing::Kind::kComplete && next.kind != Framing::Kind::kServeNow) return true;
      c.deadline = Clock::now() + settings.request_timeout;
    }
  }

  void run_worker() {
    IdleWorker me;
    for (;;) {
      Connection* c = nullptr;
      {
        std::unique_lock lock(handoff_mutex);
        // Woken, another worker may have taken the request first: wait again.
        while (ready.empty() && !workers_stop) {
          me.woken = false;
          idle.push_back(&me);
          me.wake.wait(lock, [&] { return me.woken || workers_stop; });
          if (!me.woken) std::erase(idle, &me);
        }
        if (ready.empty()) return;
        c = ready.front();
        ready.pop_front();
      }
      bool keep = false;
      try {
        keep = serve_connection(*c);
      } catch (...) {
        keep = false;  // the server's exception handler answers; anything past it closes the connection
      }
      {
        std::lock_guard lock(handoff_mutex);
        returned.emplace_back(c, keep);
      }
      wake();
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
  epoll_event ev{};
  ev.events = EPOLLIN;
  ev.data.fd = s.wake_fd;
  ::epoll_ctl(s.epoll_fd, EPOLL_CTL_ADD, s.wake_fd, &ev);
  s.reactor = std::thread([&s] { s.run_reactor(); });
  for (int i = 0; i < std::max(1, settings.threads); ++i) s.workers.emplace_back([&s] { s.run_worker(); });
}

ConnectionFront::~ConnectionFront() { shutdown(); }

void ConnectionFront::adopt(int fd) {
  State& s = *state_;
  {
    std::lock_guard lock(s.handoff_mutex);
    s.accepted.push_back(fd);
  }
  s.wake();
}

void ConnectionFront::shutdown() {
  State& s = *state_;
  if (s.shut) return;
  s.shut = true;
  s.stopping = true;
  s.wake();
  s.reactor.join();
  {
    std::lock_guard lock(s.handoff_mutex);
    s.workers_stop = true;
    for (State::IdleWorker* w : s.idle) w->wake.notify_one();
  }
  for (auto& w : s.workers) w.join();
  for (int fd : s.accepted) ::close(fd);
  s.accepted.clear();
  while (!s.connections.empty()) {
    Connection* c = s.connections.begin()->second.get();
    c->busy = true;  // already out of epoll or about to be closed with it
    s.close_connection(c);
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
