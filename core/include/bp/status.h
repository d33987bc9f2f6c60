// Errors as values for the engine, after LevelDB's Status.
#pragma once

#include <optional>
#include <string>
#include <utility>
#include <variant>

namespace bp {

enum class Code { kOk, kNotFound, kInvalidArgument, kConflict, kIo, kCorruption };

// [[nodiscard]]: a Status or Result returned and dropped is an error ignored
// by mistake; the compiler warns (and -Werror fails the build). Cast to
// void where dropping it is the intent, and say why.
class [[nodiscard]] Status {
 public:
  Status() = default;
  static Status ok() { return Status(); }
  static Status not_found(std::string msg) { return {Code::kNotFound, std::move(msg)}; }
  static Status invalid(std::string msg) { return {Code::kInvalidArgument, std::move(msg)}; }
  static Status conflict(std::string msg) { return {Code::kConflict, std::move(msg)}; }
  static Status io(std::string msg) { return {Code::kIo, std::move(msg)}; }
  static Status corruption(std::string msg) { return {Code::kCorruption, std::move(msg)}; }

  bool is_ok() const { return code_ == Code::kOk; }
  Code code() const { return code_; }
  const std::string& message() const { return message_; }

 private:
  Status(Code code, std::string msg) : code_(code), message_(std::move(msg)) {}
  Code code_ = Code::kOk;
  std::string message_;
};

// A value or the Status explaining why there is none.
template <typename T>
class [[nodiscard]] Result {
 public:
  Result(T value) : value_(std::move(value)) {}          // NOLINT: implicit by design
  Result(Status status) : status_(std::move(status)) {}  // NOLINT: implicit by design

  bool ok() const { return value_.has_value(); }
  const Status& status() const { return status_; }
  T& value() { return *value_; }
  const T& value() const { return *value_; }
  T* operator->() { return &*value_; }
  const T* operator->() const { return &*value_; }
  T& operator*() { return *value_; }
  const T& operator*() const { return *value_; }

 private:
  std::optional<T> value_;
  Status status_;
};

}  // namespace bp
