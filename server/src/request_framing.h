// Where one HTTP/1.1 request ends in the bytes received so far, so that a
// connection reaches a worker thread only once its whole request is there
// (connection_front.h). Internal to bp_server.
#pragma once

#include <cstddef>
#include <string_view>

namespace bp::server {

struct Framing {
  enum class Kind {
    // More bytes are needed before the request can be served.
    kIncomplete,
    // `request_bytes` bytes (the head and its Content-Length body) hold one
    // whole request.
    kComplete,
    // The head is complete but the request must go to a worker now: it
    // declares a body the server refuses (Transfer-Encoding, a repeated,
    // malformed or too large Content-Length). The server's pre-routing
    // answers those without reading the body.
    kServeNow,
    // No end of head within `max_head_bytes`: answered 431 and closed.
    kHeadTooLarge,
    // A header name followed by a space or tab before its colon: RFC 9112
    // §5.1 says to answer 400 (cpp-httplib would read the name with its
    // space, and a «Content-Length : 5» would frame differently for it than
    // for the front). Or a line of the head ending in a bare LF, which
    // cpp-httplib skips (RFC 9112 §2.2 lets a server refuse it). Answered
    // 400 and closed.
    kMalformed,
  };
  Kind kind = Kind::kIncomplete;
  // kComplete: the request's bytes. kIncomplete once the head is whole: the
  // head and its declared body, all the request will be (0 before).
  std::size_t request_bytes = 0;
  // The head asks for "100 Continue" before the client sends its body
  // (Expect: 100-continue, as curl sends for large bodies).
  bool expects_continue = false;
};

// Frames the first request of `received`. The head ends at the first empty
// line (CRLF CRLF; a bare LF is kMalformed, see there); header names are
// matched case-insensitively. Never fails: anything that is not a framable
// request is kServeNow (the parser then answers 400), kMalformed or
// kHeadTooLarge.
Framing frame_request(std::string_view received, std::size_t max_head_bytes,
                      std::size_t max_body_bytes);

}  // namespace bp::server
