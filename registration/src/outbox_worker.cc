#include "outbox_worker.h"

#include <fcntl.h>
#include <signal.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <chrono>
#include <cstring>
#include <iostream>

extern char** environ;

namespace bp::registration {
namespace {

std::string base64(const std::string& in) {
  static constexpr char kAlphabet[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
  std::string out;
  std::size_t i = 0;
  for (; i + 2 < in.size(); i += 3) {
    const unsigned v = (static_cast<unsigned char>(in[i]) << 16) | (static_cast<unsigned char>(in[i + 1]) << 8) |
                       static_cast<unsigned char>(in[i + 2]);
    out += kAlphabet[(v >> 18) & 63];
    out += kAlphabet[(v >> 12) & 63];
    out += kAlphabet[(v >> 6) & 63];
    out += kAlphabet[v & 63];
  }
  if (i < in.size()) {
    unsigned v = static_cast<unsigned char>(in[i]) << 16;
    if (i + 1 < in.size()) v |= static_cast<unsigned char>(in[i + 1]) << 8;
    out += kAlphabet[(v >> 18) & 63];
    out += kAlphabet[(v >> 12) & 63];
    out += i + 1 < in.size() ? kAlphabet[(v >> 6) & 63] : '=';
    out += '=';
  }
  return out;
}

// The subject as RFC 2047 encoded-words folded onto continuation lines, no
// line over 76 characters: 39 bytes of UTF-8 in the first word (after
// "Subject: "), 45 in the others (60 characters of base64, 73 with " =?UTF-8?B?"
// and "?="), never splitting a character.
std::string encoded_subject(const std::string& subject) {
  std::string out;
  std::size_t i = 0;
  while (i < subject.size() || out.empty()) {
    const std::size_t room = out.empty() ? 39 : 45;
    std::size_t end = std::min(subject.size(), i + room);
    while (end < subject.size() && end > i && (static_cast<unsigned char>(subject[end]) & 0xC0) == 0x80) --end;
    if (end == i) end = std::min(subject.size(), i + room);  // not UTF-8: cut anywhere
    out += (out.empty() ? "" : "\r\n ") + std::string("=?UTF-8?B?") + base64(subject.substr(i, end - i)) + "?=";
    i = end;
  }
  return out;
}

// `text` (UTF-8, lines ended by \n) as quoted-printable (RFC 2045 6.7): CRLF
// line ends, no line over 76 characters (a soft break "=" before that), so
// that a long paragraph passes every relay's 998-byte limit and stays
// readable. Hand-written: no library of the stack encodes MIME bodies.
std::string quoted_printable(const std::string& text) {
  static constexpr char kHex[] = "0123456789ABCDEF";
  std::string out;
  std::size_t column = 0;
  for (std::size_t i = 0; i < text.size(); ++i) {
    const unsigned char c = static_cast<unsigned char>(text[i]);
    if (c == '\r') continue;
    if (c == '\n') {
      out += "\r\n";
      column = 0;
      continue;
    }
    // Spaces stay as they are unless they end a line (relays may drop them);
    // a line's first "." or "From " is encoded, as sendmail without -i ends
    // the message at a lone "." and mbox relays rewrite "From ".
    const bool line_end = i + 1 == text.size() || text[i + 1] == '\n' || text[i + 1] == '\r';
    const bool line_start = column == 0;
    const bool guarded = line_start && (c == '.' || text.compare(i, 5, "From ") == 0);
    const bool literal = !guarded && ((c >= 33 && c <= 126 && c != '=') || ((c == ' ' || c == '\t') && !line_end));
    const std::string piece =
        literal ? std::string(1, static_cast<char>(c)) : std::string{'=', kHex[c >> 4], kHex[c & 15]};
    if (column + piece.size() > 75) {
      out += "=\r\n";
      column = 0;
    }
    out += piece;
    column += piece.size();
  }
  return out;
}

std::string no_newlines(std::string s) {
  std::replace(s.begin(), s.end(), '\r', ' ');
  std::replace(s.begin(), s.end(), '\n', ' ');
  return s;
}

std::int64_t now_seconds() {
  return std::chrono::duration_cast<std::chrono::seconds>(
             std::chrono::system_clock::now().time_since_epoch())
      .count();
}

}  // namespace

std::string format_mail(const OutboxMessage& m, const std::string& from) {
  std::string out;
  out += "From: " + no_newlines(from) + "\r\n";
  out += "To: " + no_newlines(m.recipient) + "\r\n";
  out += "Subject: " + encoded_subject(no_newlines(m.subject)) + "\r\n";
  out += "MIME-Version: 1.0\r\n";
  out += "Content-Type: text/plain; charset=UTF-8\r\n";
  out += "Content-Transfer-Encoding: quoted-printable\r\n";
  out += "X-Outbox-Id: " + std::to_string(m.id) + "\r\n";
  out += "\r\n";
  out += quoted_printable(m.body);
  return out;
}

std::string run_mail_command(const std::string& command, const std::string& input) {
  int fds[2];
  if (pipe2(fds, O_CLOEXEC) != 0) return std::string("pipe: ") + std::strerror(errno);
  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  posix_spawn_file_actions_adddup2(&actions, fds[0], 0);
  posix_spawnattr_t attr;
  posix_spawnattr_init(&attr);
  sigset_t none;
  sigemptyset(&none);
  posix_spawnattr_setsigmask(&attr, &none);  // the child must not inherit our blocked SIGPIPE
  sigset_t defaults;
  sigemptyset(&defaults);
  sigaddset(&defaults, SIGPIPE);
  posix_spawnattr_setsigdefault(&attr, &defaults);
  posix_spawnattr_setflags(&attr, POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF);
  const char* argv[] = {"/bin/sh", "-c", command.c_str(), nullptr};
  pid_t pid = 0;
  const int rc = posix_spawn(&pid, "/bin/sh", &actions, &attr, const_cast<char**>(argv), environ);
  posix_spawn_file_actions_destroy(&actions);
  posix_spawnattr_destroy(&attr);
  close(fds[0]);
  if (rc != 0) {
    close(fds[1]);
    return std::string("avvio del comando di posta: ") + std::strerror(rc);
  }
  std::string error;
  std::size_t off = 0;
  while (off < input.size()) {
    const ssize_t n = write(fds[1], input.data() + off, input.size() - off);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) {
      error = std::string("scrittura verso il comando di posta: ") + std::strerror(errno);
      break;
    }
    off += static_cast<std::size_t>(n);
  }
  close(fds[1]);
  int status = 0;
  while (waitpid(pid, &status, 0) < 0 && errno == EINTR) {
  }
  if (WIFEXITED(status) && WEXITSTATUS(status) == 0) return error;
  if (WIFEXITED(status)) return "il comando di posta è uscito con codice " + std::to_string(WEXITSTATUS(status));
  return "il comando di posta è stato interrotto dal segnale " + std::to_string(WTERMSIG(status));
}

OutboxWorker::OutboxWorker(Store& store, OutboxOptions options)
    : store_(store), options_(std::move(options)) {
  thread_ = std::thread([this] { run(); });
}

OutboxWorker::~OutboxWorker() {
  {
    std::lock_guard<std::mutex> lock(mu_);
    stop_ = true;
  }
  cv_.notify_all();
  thread_.join();
}

void OutboxWorker::notify() {
  {
    std::lock_guard<std::mutex> lock(mu_);
    pending_ = true;
  }
  cv_.notify_all();
}

void OutboxWorker::run() {
  // A command that exits early would raise SIGPIPE on our write: block it in
  // this thread so write() fails with EPIPE instead of killing the server.
  sigset_t pipe_only;
  sigemptyset(&pipe_only);
  sigaddset(&pipe_only, SIGPIPE);
  pthread_sigmask(SIG_BLOCK, &pipe_only, nullptr);
  for (;;) {
    if (auto expired = store_.expire_holds(now_seconds()); !expired.ok())
      std::cerr << "registration: holds: " << expired.status().message() << "\n";
    if (options_.each_round) options_.each_round();
    if (!options_.mail_command.empty()) deliver_due();
    std::unique_lock<std::mutex> lock(mu_);
    cv_.wait_for(lock, std::chrono::seconds(options_.poll_seconds), [this] { return stop_ || pending_; });
    if (stop_) return;
    pending_ = false;
  }
}

void OutboxWorker::deliver_due() {
  for (;;) {
    // One message per claim: when the command fails or the server stops,
    // no other claimed message is left waiting for its lease to end.
    auto due = store_.claim_due_messages(now_seconds(), 1, options_.claim_seconds);
    if (!due.ok()) {
      std::cerr << "registration outbox: " << due.status().message() << "\n";
      return;
    }
    if (due->empty()) return;
    bool failed = false;
    for (const auto& m : *due) {
      {
        std::lock_guard<std::mutex> lock(mu_);
        if (stop_) return;
      }
      const std::string error = run_mail_command(options_.mail_command, format_mail(m, options_.from));
      if (error.empty()) {
        if (!store_.mark_delivered(m.id).is_ok()) return;  // retried on the next round
      } else {
        const int shift = std::min(m.attempts, 16);
        const std::int64_t delay =
            std::min<std::int64_t>(static_cast<std::int64_t>(options_.retry_base_seconds) << shift,
                                   options_.retry_max_seconds);
        if (!store_.mark_failed(m.id, error, now_seconds() + delay).is_ok()) return;
        failed = true;
        std::cerr << "registration outbox: message " << m.id << " not delivered (" << error
                  << "), retry in " << delay << " s\n";
      }
    }
    if (failed) return;  // the command is failing: wait for the next round
  }
}

}  // namespace bp::registration
