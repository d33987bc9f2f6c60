// The client connections of bp-server, held without a worker thread while
// they wait. cpp-httplib 0.11 gives each accepted socket to one pool thread
// for its whole life: a client that sends half a request, trickles one
// header line every few seconds, or keeps an idle keep-alive connection
// holds that thread (its read timeout is per recv, not per request), and
// eight such clients stall every other visitor (issue 13). Here every
// waiting connection is registered in one epoll set, armed for one event
// at a time (EPOLLONESHOT); the workers themselves wait in epoll_wait, and
// the one woken reads what arrived without blocking: an incomplete request
// is stored and the connection armed again, a whole request (head and
// body, see request_framing.h) is answered by that same worker, which then
// arms the connection for the next one. One thread wakes per request, and
// no request is handed from thread to thread (an epoll thread that read
// requests and passed them to workers and back cost two more wake-ups and
// six more system calls per request). Waiting costs a file descriptor and
// a buffer, never a thread; deadlines and a connection cap bound both.
//
// Reading answers is the same: a worker sends what the kernel takes at
// once, and an answer the client is slow to read (a phone on a bad line,
// or a client that reads nothing on purpose) waits in its connection, armed
// for EPOLLOUT, while the worker goes back to work; whichever worker wakes
// sends the next part. Answers larger than FrontSettings::keep_whole_bytes,
// or beyond max_pending_bytes for all connections together, are written by
// their worker as before (within write_timeout per part).
//
// cpp-httplib still parses and answers every request: a worker calls
// Server::process_request on a Stream that reads the buffered bytes.
// Internal to bp_server.
#pragma once

#include <httplib.h>

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <memory>
#include <mutex>

namespace bp::server {

struct FrontSettings {
  // Worker threads: they wait for bytes on any connection, and parse,
  // route and answer the whole requests.
  int threads = 8;
  // A new connection's first request (head and body) must have arrived
  // within this time from the accept, a later request within this time from
  // its first byte: else the connection is closed (408 when part of a
  // request came).
  std::chrono::milliseconds request_timeout{10'000};
  // An idle keep-alive connection is closed after this time.
  std::chrono::milliseconds keep_alive_timeout{15'000};
  // Requests served on one connection before it is closed.
  std::size_t keep_alive_max_requests = 100;
  // Open connections at most (lowered to the file-descriptor limit minus a
  // margin). A new connection beyond it closes the connection that has
  // waited longest for a request; when none waits, the new one is closed.
  std::size_t max_connections = 1024;
  // A head (request line and headers) longer than this is answered 431 and
  // the connection closed; the server's own 431 for heads above its header
  // limit (options.h) comes first for anything shorter.
  std::size_t max_head_bytes = 32 * 1024;
  // Bodies up to this size are read before the worker.
  std::size_t max_body_bytes = 64 * 1024;
  // Larger bodies up to this size (the routes that take uploads; server.cc
  // sets the largest) are read before the worker too, by at most
  // `upload_slots` connections at once, each holding its body in memory
  // until it is answered: another is answered 503 and closed. A declared
  // body above both limits goes to the worker at once, which refuses it
  // (413) without reading it. A body never holds a worker while it arrives.
  std::size_t max_upload_bytes = 0;
  std::size_t upload_slots = 16;
  // Each 64 KiB of an answer must leave within this time (at least
  // 6.4 KB/s with 10 s), whether its worker writes it or it waits in its
  // connection; else the connection is closed.
  std::chrono::milliseconds write_timeout{10'000};
  // Answers up to this size are kept whole until they are complete, then
  // sent; what the client does not take at once waits in the connection,
  // not in a worker, while all such waiting answers together stay under
  // `max_pending_bytes` (beyond, a worker waits as for larger answers).
  std::size_t keep_whole_bytes = 1 << 20;
  std::size_t max_pending_bytes = 64 << 20;  // server.cc: 64 × keep_whole_bytes
};

// Serves one request read from `stream` (cpp-httplib's process_request):
// false when the connection must be closed; `connection_closed` is set when
// the client asked to close.
using ServeRequest = std::function<bool(httplib::Stream& stream, bool close_connection, bool& connection_closed)>;

class ConnectionFront {
 public:
  // Starts the workers. Throws std::system_error when
  // epoll or eventfd cannot be created.
  ConnectionFront(FrontSettings settings, ServeRequest serve);
  // Calls shutdown().
  ~ConnectionFront();
  ConnectionFront(const ConnectionFront&) = delete;
  ConnectionFront& operator=(const ConnectionFront&) = delete;

  // Takes ownership of an accepted socket (from any thread).
  void adopt(int fd);
  // Serves the requests already handed to workers, closes every connection
  // and joins the threads. Idempotent.
  void shutdown();

  // Connections open now (waiting or being served), and those the front
  // closed itself since it started: past their deadline (a request not
  // complete in time, or idle too long) or to make room over the cap.
  struct Counts {
    std::uint64_t open = 0, timed_out = 0, evicted = 0;
  };
  Counts counts() const;

  struct State;

 private:
  std::unique_ptr<State> state_;
};

// A cpp-httplib server whose accepted sockets go to a ConnectionFront
// instead of its thread pool (Server::process_and_close_socket is virtual:
// the accept loop calls this override on its own thread).
class FrontedServer : public httplib::Server {
 public:
  explicit FrontedServer(FrontSettings settings);
  // The front's counts (ConnectionFront::counts); zeros when not listening.
  ConnectionFront::Counts counts() const;
  // Whether listen() has made its front (its workers, epoll and wake
  // descriptors exist). cpp-httplib reports is_running() just before.
  bool has_front() const;
  // FrontSettings::max_upload_bytes; before listen().
  void set_max_upload_bytes(std::size_t bytes) { settings_.max_upload_bytes = bytes; }

 private:
  bool process_and_close_socket(socket_t sock) override;

  FrontSettings settings_;
  mutable std::mutex front_mutex_;          // listen, stop and metrics run on different threads
  std::shared_ptr<ConnectionFront> front_;  // while listening
};

}  // namespace bp::server
