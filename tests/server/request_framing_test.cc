// Where a request ends in the bytes received so far (request_framing.h).
#include "request_framing.h"

#include <gtest/gtest.h>

namespace bp::server {
namespace {

using Kind = Framing::Kind;

Framing frame(std::string_view bytes) { return frame_request(bytes, 1024, 100); }

TEST(RequestFraming, AHeadWithoutBodyEndsAtTheEmptyLine) {
  const std::string get = "GET / HTTP/1.1\r\nHost: x\r\n\r\n";
  EXPECT_EQ(frame(get).kind, Kind::kComplete);
  EXPECT_EQ(frame(get).request_bytes, get.size());
  EXPECT_EQ(frame(get + "GET /next").request_bytes, get.size()) << "a pipelined request is not part of it";
}

// cpp-httplib skips a line ending in a bare LF and waits for more: a head
// with one would hold a worker until the read timeout (or be framed by a
// header it ignores). Refused as it arrives, complete or not.
TEST(RequestFraming, ALineEndingInABareLineFeedIsMalformed) {
  for (const char* bytes : {"GET / HTTP/1.1\nHost: x\n\n", "GET / HTTP/1.1\r\n\n", "GET / HTTP/1.1\r\nHost: x\n",
                            "POST / HTTP/1.1\r\nContent-Length: 5\n\r\n", "\n"})
    EXPECT_EQ(frame(bytes).kind, Kind::kMalformed) << bytes;
}

TEST(RequestFraming, APartialHeadOrBodyIsIncomplete) {
  EXPECT_EQ(frame("").kind, Kind::kIncomplete);
  EXPECT_EQ(frame("GET / HTTP/1.1\r\nHost: x\r\n").kind, Kind::kIncomplete);
  EXPECT_EQ(frame("POST / HTTP/1.1\r\ncontent-length: 10\r\n\r\n12345").kind, Kind::kIncomplete);
  const std::string post = "POST / HTTP/1.1\r\nContent-Length:  10 \r\n\r\n0123456789";
  EXPECT_EQ(frame(post).kind, Kind::kComplete);
  EXPECT_EQ(frame(post + "GET").request_bytes, post.size());
}

TEST(RequestFraming, AContinuedBodyIsFramedAndTheExpectationNoted) {
  const Framing head = frame("POST / HTTP/1.1\r\nContent-Length: 10\r\nExpect: 100-Continue\r\n\r\n");
  EXPECT_EQ(head.kind, Kind::kIncomplete);
  EXPECT_TRUE(head.expects_continue);
  EXPECT_EQ(head.request_bytes, 71u) << "the head and its declared body";
  EXPECT_EQ(frame("POST / HTTP/1.1\r\nContent-Length: 1\r\nExpect: 100-continue\r\n\r\nx").kind, Kind::kComplete);
  EXPECT_FALSE(frame("POST / HTTP/1.1\r\nContent-Length: 10\r\n\r\n").expects_continue);
  // Another expectation: the body is awaited here all the same, with no
  // interim answer (a worker would wait for it on the socket).
  const Framing other = frame("POST / HTTP/1.1\r\nContent-Length: 10\r\nExpect: something-else\r\n\r\n");
  EXPECT_EQ(other.kind, Kind::kIncomplete);
  EXPECT_FALSE(other.expects_continue);
}

TEST(RequestFraming, AHeaderNameWithSpaceBeforeItsColonIsMalformed) {
  EXPECT_EQ(frame("POST / HTTP/1.1\r\nContent-Length : 2\r\n\r\nab").kind, Kind::kMalformed);
  EXPECT_EQ(frame("POST / HTTP/1.1\r\nTransfer-Encoding\t: chunked\r\n\r\n").kind, Kind::kMalformed);
  EXPECT_EQ(frame("GET / HTTP/1.1\r\nX-A: b : c\r\n\r\n").kind, Kind::kComplete) << "a colon in a value is fine";
}

TEST(RequestFraming, BodiesTheServerRefusesGoToAWorkerAtOnce) {
  for (const char* head :
       {"POST / HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\n",
        "POST / HTTP/1.1\r\nContent-Length: 1\r\nContent-Length: 2\r\n\r\n",
        "POST / HTTP/1.1\r\nContent-Length: -1\r\n\r\n", "POST / HTTP/1.1\r\nContent-Length: 1e3\r\n\r\n",
        "POST / HTTP/1.1\r\nContent-Length: 101\r\n\r\n"})
    EXPECT_EQ(frame(head).kind, Kind::kServeNow) << head;
}

TEST(RequestFraming, AHeadOverTheLimitIsTooLargeCompleteOrNot) {
  const std::string big = "GET / HTTP/1.1\r\nX: " + std::string(2000, 'a');
  EXPECT_EQ(frame(big).kind, Kind::kHeadTooLarge);
  EXPECT_EQ(frame(big + "\r\n\r\n").kind, Kind::kHeadTooLarge);
}

}  // namespace
}  // namespace bp::server
