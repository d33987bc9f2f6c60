#include "bp/diagnostic.h"

namespace bp {

std::string Diagnostic::format() const {
  std::string out = file;
  if (line > 0) {
    out += ':' + std::to_string(line);
    if (column > 0) out += ':' + std::to_string(column);
  }
  out += ": ";
  if (severity == Severity::kWarning) out += "attenzione: ";
  out += message;
  return out;
}

}  // namespace bp
