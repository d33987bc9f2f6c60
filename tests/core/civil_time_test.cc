#include "bp/civil_time.h"

#include <gtest/gtest.h>

namespace bp {
namespace {

std::string utc(const std::string& local, bool end_of_day = false) {
  auto t = rome_to_utc(local, end_of_day);
  return t.ok() ? utc_iso(*t) : "error: " + t.status().message();
}

TEST(CivilTime, RomeIsUtcPlusOneInWinterAndTwoInSummer) {
  EXPECT_EQ(utc("2027-01-15T10:00"), "2027-01-15T09:00:00Z");
  EXPECT_EQ(utc("2027-07-15T10:00"), "2027-07-15T08:00:00Z");
  EXPECT_EQ(utc("2027-02-01", true), "2027-02-01T22:59:00Z");
  EXPECT_EQ(utc("2027-02-01"), "2027-01-31T23:00:00Z");
}

TEST(CivilTime, SummerTimeRunsFromTheLastSundayOfMarchToTheLastOfOctober) {
  // 2027: 28 March and 31 October.
  EXPECT_EQ(utc("2027-03-28T01:00"), "2027-03-28T00:00:00Z");
  EXPECT_EQ(utc("2027-03-28T03:00"), "2027-03-28T01:00:00Z");
  EXPECT_EQ(utc("2027-03-28T04:00"), "2027-03-28T02:00:00Z");
  EXPECT_EQ(utc("2027-10-31T01:00"), "2027-10-30T23:00:00Z");
  EXPECT_EQ(utc("2027-10-31T04:00"), "2027-10-31T03:00:00Z");
  // 2026: 29 March and 25 October.
  EXPECT_EQ(utc("2026-03-28T12:00"), "2026-03-28T11:00:00Z");
  EXPECT_EQ(utc("2026-03-29T12:00"), "2026-03-29T10:00:00Z");
  EXPECT_EQ(utc("2026-10-25T12:00"), "2026-10-25T11:00:00Z");
}

TEST(CivilTime, ANonexistentSpringForwardTimeIsRejected) {
  // 28 March 2027, 02:00 CET: clocks jump to 03:00 CEST; 02:30 never happens.
  auto t = rome_to_utc("2027-03-28T02:30");
  ASSERT_FALSE(t.ok());
  EXPECT_EQ(t.status().code(), Code::kInvalidArgument);
  EXPECT_EQ(t.status().message(),
            "l'ora 02:30 del 28 marzo 2027 non esiste in Italia: quella notte gli orologi passano dalle "
            "02:00 alle 03:00 (inizio dell'ora legale)");
  EXPECT_FALSE(rome_to_utc("2027-03-28T02:00").ok());
  EXPECT_TRUE(rome_to_utc("2027-03-28T01:59").ok());
}

TEST(CivilTime, TheRepeatedAutumnHourIsItsFirstOccurrenceInSummerTime) {
  // 31 October 2027: 02:00-02:59 happens twice (CEST, then CET): the first.
  EXPECT_EQ(utc("2027-10-31T02:30"), "2027-10-31T00:30:00Z");
  EXPECT_EQ(utc("2027-10-31T03:00"), "2027-10-31T02:00:00Z");
}

TEST(CivilTime, MalformedAndImpossibleDatesAreRejectedWithAReason) {
  EXPECT_EQ(utc("2027-02-29T10:00"), "error: data impossibile '2027-02-29T10:00': febbraio 2027 ha 28 giorni");
  EXPECT_EQ(utc("2028-02-29T10:00"), "2028-02-29T09:00:00Z");
  EXPECT_EQ(utc("2027-13-01T10:00"), "error: data impossibile '2027-13-01T10:00': il mese va da 01 a 12");
  EXPECT_EQ(utc("2027-01-01T24:00"), "error: ora impossibile '2027-01-01T24:00': l'ora va da 00:00 a 23:59");
  EXPECT_FALSE(rome_to_utc("2027-1-01T10:00").ok());
  EXPECT_FALSE(rome_to_utc("2027-01-01 10:00").ok());
  EXPECT_FALSE(rome_to_utc("").ok());
}

TEST(CivilTime, UtcForms) {
  EXPECT_EQ(utc_ical(0), "19700101T000000Z");
  EXPECT_EQ(utc_iso(86400 + 3661), "1970-01-02T01:01:01Z");
  EXPECT_EQ(utc_iso_seconds("1970-01-02T01:01:01Z"), 86400 + 3661);
  EXPECT_EQ(utc_iso_seconds(utc_iso(4102444800)), 4102444800);
  EXPECT_EQ(utc_iso_seconds("2026-03-12T14:05:00"), utc_iso_seconds("2026-03-12T14:05:00Z"));
  EXPECT_FALSE(utc_iso_seconds("").has_value());
  EXPECT_FALSE(utc_iso_seconds("2026-03-12").has_value());
  EXPECT_FALSE(utc_iso_seconds("2026-03-12T14:05:00Z trailing").has_value());
  EXPECT_TRUE(is_clock_time("00:00"));
  EXPECT_TRUE(is_clock_time("23:59"));
  EXPECT_FALSE(is_clock_time("24:00"));
  EXPECT_FALSE(is_clock_time("9:00"));
  EXPECT_FALSE(is_clock_time("17.00"));
}

// The back office's numeric dates: a date alone, and a stored UTC time in
// Rome's clock (summer time: UTC+2).
TEST(CivilTime, ShortDatesAsTheBackOfficeWritesThem) {
  EXPECT_EQ(short_date("2027-04-15"), "15/04/2027");
  EXPECT_EQ(short_date("15 aprile"), "15 aprile");
  EXPECT_EQ(short_date(""), "");
  EXPECT_EQ(rome_short("2026-07-12T14:05:00Z"), "12/07/2026 16:05");
  EXPECT_EQ(rome_short(""), "");
}

// The day a proposer reads on their page and in e-mails: Italy's, not
// UTC's. Sent at 00:43 on 7 December in Rome (23:43 UTC the day before).
TEST(CivilTime, TheDayOfAStoredTimeIsItalys) {
  EXPECT_EQ(rome_day("2026-12-06T23:43:12Z"), "2026-12-07");
  EXPECT_EQ(rome_day("2026-12-06T22:59:59Z"), "2026-12-06");
  EXPECT_EQ(rome_day("2027-07-01T22:30:00Z"), "2027-07-02");  // summer time, UTC+2
  EXPECT_EQ(rome_day("2027-07-01T21:30:00"), "2027-07-01");
  EXPECT_EQ(rome_day("2027-07-01"), "2027-07-01");
  EXPECT_EQ(rome_day(""), "");
}

}  // namespace
}  // namespace bp
