// A client error the API answers with 400/404 and {"error", "message"}.
#pragma once

#include <string>

namespace bp::server {

struct ApiError {
  int status = 400;
  std::string code;     // stable, for programs: "invalid_page", ...
  std::string message;  // Italian, for people
};

}  // namespace bp::server
