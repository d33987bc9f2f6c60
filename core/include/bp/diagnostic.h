// Problems found in editors' files, reported as `file:line: message`.
#pragma once

#include <string>
#include <vector>

namespace bp {

enum class Severity { kError, kWarning };

struct Diagnostic {
  std::string file;  // path as the editor gave it / relative to the content root
  int line = 0;      // 1-based; 0 when the problem is about the whole file
  int column = 0;    // 1-based; 0 when unknown
  Severity severity = Severity::kError;
  std::string message;  // Italian, actionable, with a suggestion when there is one

  // "file:line: message" (or "file:line:col:"; warnings say "attenzione:").
  std::string format() const;
};

using Diagnostics = std::vector<Diagnostic>;

inline bool has_errors(const Diagnostics& d) {
  for (const auto& x : d)
    if (x.severity == Severity::kError) return true;
  return false;
}

}  // namespace bp
