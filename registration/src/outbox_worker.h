// The registration module's background thread: every round it expires the
// seat holds nobody confirmed in time (Store::expire_holds, which promotes
// the people waiting), then delivers outbox messages outside any
// transaction by running the configured mail command with the message on
// stdin. A failed delivery is recorded and retried later with exponential
// backoff; a message is never dropped.
#pragma once

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <functional>
#include <mutex>
#include <string>
#include <thread>

#include "bp/registration/store.h"

namespace bp::registration {

struct OutboxOptions {
  std::string mail_command;    // run with /bin/sh -c; empty: messages stay in the outbox
  std::string from = "Reti solidali e competenti <noreply@localhost>";
  int retry_base_seconds = 30;  // first retry delay; doubles up to retry_max_seconds
  int retry_max_seconds = 3600;
  int poll_seconds = 5;         // how often to expire holds and look for due messages
  // How long a claimed message is kept from other workers (other server
  // processes on the same PostgreSQL) while this one runs the mail command;
  // a worker that dies mid-delivery leaves it to be retried after this.
  int claim_seconds = 600;
  // A mail command that has not finished in this time is killed and its
  // message retried later: a relay that hangs must not stop every other
  // message, the holds' expiry or the server's shutdown.
  int command_timeout_seconds = 60;
  // How long the text of a delivered message is kept (its line stays):
  // Store::forget_sent_texts runs once an hour. 0 keeps texts.
  int keep_sent_text_seconds = 0;
  // Also run at every round, after the holds (the proposals' publication
  // check); may be empty.
  std::function<void()> each_round;
};

class OutboxWorker {
 public:
  OutboxWorker(Store& store, OutboxOptions options);
  ~OutboxWorker();  // stops and joins the thread
  OutboxWorker(const OutboxWorker&) = delete;
  OutboxWorker& operator=(const OutboxWorker&) = delete;

  // Wakes the worker (after a registration added messages).
  void notify();

 private:
  void run();
  void deliver_due();
  void forget_old_texts();

  Store& store_;
  OutboxOptions options_;
  std::mutex mu_;
  std::condition_variable cv_;
  bool stop_ = false;
  bool pending_ = false;
  std::atomic<bool> stopping_{false};  // stop_, for a command running without the lock
  std::int64_t texts_forgotten_at_ = 0;  // the last forget_old_texts() (worker thread only)
  std::thread thread_;
};

// What running the mail command gave: `error` is "" on exit status 0, else
// the reason (its exit code, its signal, the time it took too long);
// `output` is the end of what it wrote on stdout and stderr (at most about
// 2 KiB), never copied to the server's log.
struct MailRun {
  std::string error;
  std::string output;
};

// Runs `command` with `input` on stdin, in its own process group, and kills
// the group when it has not finished within `timeout` or when `*stop`
// becomes true (checked five times a second).
MailRun run_mail_command(const std::string& command, const std::string& input, std::chrono::seconds timeout,
                         const std::atomic<bool>* stop = nullptr);

// The RFC 5322 text of `m`: the UTF-8 subject as RFC 2047 encoded-words
// folded at 75 characters, the body quoted-printable (no line over 76
// characters, whatever the length of a paragraph).
std::string format_mail(const OutboxMessage& m, const std::string& from);

}  // namespace bp::registration
