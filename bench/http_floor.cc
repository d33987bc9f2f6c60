// bp-http-floor: the HTTP floor. A plain cpp-httplib server that answers
// every GET with the same JSON body, with the same thread pool size as
// bp-server, so that over loopback the difference is our work per request.
// TCP_NODELAY is on unless --nodelay 0: with cpp-httplib's default (off),
// Nagle's algorithm and the client's delayed ACK add about 40 ms to every
// answer on a keep-alive connection, which would hide everything else.
//   bp-http-floor [--port N] [--threads N] [--body FILE] [--nodelay 0|1]
#include <httplib.h>

#include <fstream>
#include <iostream>
#include <sstream>
#include <string>

int main(int argc, char** argv) try {
  int port = 8091;
  int threads = 8;
  bool nodelay = true;
  std::string body;
  for (int i = 1; i + 1 < argc; i += 2) {
    const std::string f = argv[i];
    if (f == "--port") port = std::stoi(argv[i + 1]);
    else if (f == "--threads") threads = std::stoi(argv[i + 1]);
    else if (f == "--nodelay") nodelay = std::string(argv[i + 1]) != "0";
    else if (f == "--body") {
      std::ifstream in(argv[i + 1], std::ios::binary);
      std::ostringstream s;
      s << in.rdbuf();
      body = s.str();
    } else {
      throw std::runtime_error("unknown option " + f);
    }
  }
  if (body.empty()) body = R"({"query":"","total":0,"page":1,"per_page":10,"results":[],"facets":{}})";
  httplib::Server server;
  server.new_task_queue = [threads] { return new httplib::ThreadPool(static_cast<std::size_t>(threads)); };
  server.set_tcp_nodelay(nodelay);
  server.Get(".*", [&body](const httplib::Request&, httplib::Response& res) {
    res.set_content(body, "application/json; charset=utf-8");
  });
  std::cerr << "bp-http-floor: http://127.0.0.1:" << port << "/ (" << body.size() << " bytes, " << threads
            << " threads, TCP_NODELAY " << (nodelay ? "on" : "off") << ")\n";
  if (!server.listen("127.0.0.1", port)) throw std::runtime_error("cannot listen on port " + std::to_string(port));
  return 0;
} catch (const std::exception& e) {
  std::cerr << "bp-http-floor: " << e.what() << "\n";
  return 1;
}
