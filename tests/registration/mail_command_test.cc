// The mail command (outbox_worker.h), run as the outbox runs it: a command
// that hangs is killed at its time limit or when the server stops, with
// what it started; what it says is kept for the staff, never printed on
// the server's log.
#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <fstream>
#include <sstream>
#include <thread>

#include "outbox_worker.h"
#include "temp_dir.h"

namespace bp::registration {
namespace {

using Clock = std::chrono::steady_clock;
using std::chrono::seconds;

TEST(MailCommand, TheMessageReachesTheCommandOnItsInput) {
  test_util::TempDir dir;
  const auto file = dir.path() / "mail.txt";
  const MailRun run = run_mail_command("cat > '" + file.string() + "'", "Subject: prova\r\n\r\nciao\r\n", seconds(10));
  EXPECT_EQ(run.error, "");
  std::ifstream in(file);
  std::stringstream got;
  got << in.rdbuf();
  EXPECT_EQ(got.str(), "Subject: prova\r\n\r\nciao\r\n");
}

TEST(MailCommand, WhatAFailingCommandSaysIsKeptAndNotPrinted) {
  testing::internal::CaptureStderr();
  const MailRun run = run_mail_command(
      "cat > /dev/null; echo 'msmtp: recipient address giulia@example.org not accepted by the server' >&2; exit 75",
      "Subject: prova\r\n\r\nciao\r\n", seconds(10));
  const std::string printed = testing::internal::GetCapturedStderr();
  EXPECT_EQ(run.error, "il comando di posta è uscito con codice 75");
  EXPECT_EQ(run.output, "msmtp: recipient address giulia@example.org not accepted by the server");
  EXPECT_EQ(printed.find("giulia@example.org"), std::string::npos) << printed;
}

TEST(MailCommand, ACommandThatHangsIsKilledWithWhatItStartedAtItsTimeLimit) {
  test_util::TempDir dir;
  const auto pid_file = dir.path() / "child.pid";
  const auto start = Clock::now();
  // The shell starts a sleep of its own: both must go, not just the shell.
  const MailRun run =
      run_mail_command("sleep 30 & echo $! > '" + pid_file.string() + "'; wait", "Subject: x\r\n\r\n", seconds(1));
  const auto took = Clock::now() - start;
  EXPECT_EQ(run.error, "il comando di posta non ha finito entro 1 secondo");
  EXPECT_LT(took, seconds(10));
  pid_t child = 0;
  std::ifstream(pid_file) >> child;
  ASSERT_GT(child, 0);
  // Killed (a zombie at most until init reaps it: no /proc status "S").
  std::string state;
  for (int i = 0; i < 200; ++i) {
    std::ifstream status("/proc/" + std::to_string(child) + "/stat");
    std::string skip;
    state.clear();
    if (status >> skip >> skip >> state; state.empty() || state == "Z") break;
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  EXPECT_TRUE(state.empty() || state == "Z") << "the sleep the command started is still running: " << state;
}

TEST(MailCommand, ACommandThatClosesItsOutputAndHangsIsKilledToo) {
  const MailRun run = run_mail_command("exec >/dev/null 2>&1; sleep 30", "Subject: x\r\n\r\n", seconds(1));
  EXPECT_EQ(run.error, "il comando di posta non ha finito entro 1 secondo");
}

TEST(MailCommand, AStoppingServerStopsTheCommandAtOnce) {
  std::atomic<bool> stop{false};
  std::thread stopper([&] {
    std::this_thread::sleep_for(std::chrono::milliseconds(300));
    stop = true;
  });
  const auto start = Clock::now();
  const MailRun run = run_mail_command("sleep 30", "Subject: x\r\n\r\n", seconds(60), &stop);
  stopper.join();
  EXPECT_EQ(run.error, "invio interrotto: il server si sta fermando");
  EXPECT_LT(Clock::now() - start, seconds(10));
}

}  // namespace
}  // namespace bp::registration
