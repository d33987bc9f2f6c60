#include "outbox_worker.h"

#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <cctype>
#include <cerrno>
#include <chrono>
#include <cstring>
#include <iostream>
#include <thread>

#include "bp/civil_time.h"
#include "bp/text.h"

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

MailRun run_mail_command(const std::string& command, const std::string& input, std::chrono::seconds timeout,
                         const std::atomic<bool>* stop) {
  MailRun run;
  int in[2], out[2];
  if (pipe2(in, O_CLOEXEC) != 0) return {std::string("pipe: ") + std::strerror(errno), ""};
  if (pipe2(out, O_CLOEXEC) != 0) {
    close(in[0]);
    close(in[1]);
    return {std::string("pipe: ") + std::strerror(errno), ""};
  }
  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  posix_spawn_file_actions_adddup2(&actions, in[0], 0);
  // What the command says goes to us, not to the server's log: msmtp names
  // the recipient it could not deliver to, and the log is no place for it.
  posix_spawn_file_actions_adddup2(&actions, out[1], 1);
  posix_spawn_file_actions_adddup2(&actions, out[1], 2);
  posix_spawnattr_t attr;
  posix_spawnattr_init(&attr);
  sigset_t none;
  sigemptyset(&none);
  posix_spawnattr_setsigmask(&attr, &none);  // the child must not inherit our blocked SIGPIPE
  sigset_t defaults;
  sigemptyset(&defaults);
  sigaddset(&defaults, SIGPIPE);
  posix_spawnattr_setsigdefault(&attr, &defaults);
  // Its own process group: a command that hangs is killed with whatever it
  // started (the shell's sendmail or msmtp).
  posix_spawnattr_setpgroup(&attr, 0);
  posix_spawnattr_setflags(&attr, POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF | POSIX_SPAWN_SETPGROUP);
  const char* argv[] = {"/bin/sh", "-c", command.c_str(), nullptr};
  pid_t pid = 0;
  const int rc = posix_spawn(&pid, "/bin/sh", &actions, &attr, const_cast<char**>(argv), environ);
  posix_spawn_file_actions_destroy(&actions);
  posix_spawnattr_destroy(&attr);
  close(in[0]);
  close(out[1]);
  if (rc != 0) {
    close(in[1]);
    close(out[0]);
    return {std::string("avvio del comando di posta: ") + std::strerror(rc), ""};
  }
  fcntl(in[1], F_SETFL, O_NONBLOCK);
  fcntl(out[0], F_SETFL, O_NONBLOCK);
  const auto deadline = std::chrono::steady_clock::now() + timeout;
  int to_child = in[1], from_child = out[0];
  int status = 0;
  bool reaped = false;
  std::size_t off = 0;
  if (input.empty()) {
    close(to_child);
    to_child = -1;
  }
  // Feeds the message and reads what the command says until it closes its
  // output, the time runs out or the server stops.
  while (from_child >= 0) {
    if (stop && stop->load()) {
      run.error = "invio interrotto: il server si sta fermando";
      break;
    }
    const auto left =
        std::chrono::duration_cast<std::chrono::milliseconds>(deadline - std::chrono::steady_clock::now());
    if (left.count() <= 0) {
      run.error = "il comando di posta non ha finito entro " + text::count_noun(timeout.count(), "secondo", "secondi");
      break;
    }
    pollfd fds[2] = {{from_child, POLLIN, 0}, {to_child, POLLOUT, 0}};
    const int n = poll(fds, to_child >= 0 ? 2 : 1, static_cast<int>(std::min<long long>(left.count(), 200)));
    if (n < 0 && errno != EINTR) break;
    if (n == 0 && waitpid(pid, &status, WNOHANG) == pid) {
      reaped = true;  // it ended, and something it started keeps its output open
      break;
    }
    if (n <= 0) continue;
    if (to_child >= 0 && (fds[1].revents & (POLLOUT | POLLERR | POLLHUP))) {
      const ssize_t w = write(to_child, input.data() + off, input.size() - off);
      if (w > 0) off += static_cast<std::size_t>(w);
      if (w < 0 && errno != EAGAIN && errno != EINTR) {
        run.error = std::string("scrittura verso il comando di posta: ") + std::strerror(errno);
        off = input.size();
      }
      if (off >= input.size()) {
        close(to_child);
        to_child = -1;
      }
    }
    if (fds[0].revents & (POLLIN | POLLHUP | POLLERR)) {
      char buf[4096];
      const ssize_t r = read(from_child, buf, sizeof buf);
      if (r > 0) {
        // Its last words are what explain a failure; a few hundred bytes.
        run.output.append(buf, static_cast<std::size_t>(r));
        if (run.output.size() > 2048) run.output.erase(0, run.output.size() - 1024);
      } else if (r == 0 || (errno != EAGAIN && errno != EINTR)) {
        close(from_child);
        from_child = -1;
      }
    }
  }
  if (to_child >= 0) close(to_child);
  if (from_child >= 0) close(from_child);
  // Reaps it; one that hung, closed its output and still runs past the
  // deadline, or runs while the server stops, is killed with its group.
  while (!reaped) {
    const pid_t r = waitpid(pid, &status, WNOHANG);
    if (r == pid || (r < 0 && errno != EINTR)) break;
    const bool late = std::chrono::steady_clock::now() >= deadline;
    if (!run.error.empty() || late || (stop && stop->load())) {
      if (run.error.empty())
        run.error =
            late ? "il comando di posta non ha finito entro " + text::count_noun(timeout.count(), "secondo", "secondi")
                 : "invio interrotto: il server si sta fermando";
      kill(-pid, SIGKILL);
      while (waitpid(pid, &status, 0) < 0 && errno == EINTR) {
      }
      break;
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  while (!run.output.empty() && std::isspace(static_cast<unsigned char>(run.output.back()))) run.output.pop_back();
  if (!run.error.empty()) return run;
  if (WIFEXITED(status) && WEXITSTATUS(status) == 0) return run;
  run.error = WIFEXITED(status)
                  ? "il comando di posta è uscito con codice " + std::to_string(WEXITSTATUS(status))
                  : "il comando di posta è stato interrotto dal segnale " + std::to_string(WTERMSIG(status));
  return run;
}

OutboxWorker::OutboxWorker(Store& store, OutboxOptions options)
    : store_(store), options_(std::move(options)) {
  thread_ = std::thread([this] { run(); });
}

OutboxWorker::~OutboxWorker() {
  stopping_ = true;  // a command running now is stopped too
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
    forget_old_texts();
    std::unique_lock<std::mutex> lock(mu_);
    cv_.wait_for(lock, std::chrono::seconds(options_.poll_seconds), [this] { return stop_ || pending_; });
    if (stop_) return;
    pending_ = false;
  }
}

void OutboxWorker::forget_old_texts() {
  const std::int64_t now = now_seconds();
  if (options_.keep_sent_text_seconds <= 0 || now - texts_forgotten_at_ < 3600) return;
  texts_forgotten_at_ = now;
  if (auto n = store_.forget_sent_texts(utc_iso(now - options_.keep_sent_text_seconds)); !n.ok())
    std::cerr << "registration outbox: testi dei messaggi inviati non cancellati: " << n.status().message() << "\n";
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
      const MailRun run = run_mail_command(options_.mail_command, format_mail(m, options_.from),
                                           std::chrono::seconds(options_.command_timeout_seconds), &stopping_);
      const std::string& error = run.error;
      if (error.empty()) {
        if (!store_.mark_delivered(m.id).is_ok()) return;  // retried on the next round
      } else {
        const int shift = std::min(m.attempts, 16);
        const std::int64_t delay =
            std::min<std::int64_t>(static_cast<std::int64_t>(options_.retry_base_seconds) << shift,
                                   options_.retry_max_seconds);
        // The staff read what the command said on the message's line
        // (/staff/messaggi, which shows its recipient anyway); the log only
        // the reason, as it may name the recipient.
        const std::string recorded = run.output.empty() ? error : error + ": " + run.output.substr(0, 500);
        if (!store_.mark_failed(m.id, recorded, now_seconds() + (stopping_ ? 0 : delay)).is_ok()) return;
        failed = true;
        std::cerr << "registration outbox: message " << m.id << " not delivered (" << error << "), retry in "
                  << (stopping_ ? 0 : delay) << " s\n";
      }
    }
    if (failed) return;  // the command is failing: wait for the next round
  }
}

}  // namespace bp::registration
