#include "bp/italian_date.h"

#include <gtest/gtest.h>

namespace bp {
namespace {

TEST(ItalianDate, DayMonthYearWithTheOrdinalForTheFirst) {
  EXPECT_EQ(italian_date("2027-03-02"), "2 marzo 2027");
  EXPECT_EQ(italian_date("2027-07-01"), "1° luglio 2027");
  EXPECT_EQ(italian_date("2027-12-31"), "31 dicembre 2027");
  EXPECT_EQ(italian_datetime("2027-03-02T17:00"), "2 marzo 2027, ore 17:00");
  EXPECT_EQ(italian_datetime("2027-03-01T09:05"), "1° marzo 2027, ore 09:05");
}

TEST(ItalianDate, InvalidDatesAreShownAsWritten) {
  EXPECT_EQ(italian_date("2027-02-30"), "2027-02-30");
  EXPECT_EQ(italian_date("presto"), "presto");
  EXPECT_EQ(italian_datetime("2027-02-30T10:00"), "2027-02-30T10:00");
}

TEST(ItalianDate, ElisionBeforeOttoAndUndici) {
  EXPECT_EQ(italian_datetime_after("dal", "2027-06-08"), "dall'8 giugno 2027");
  EXPECT_EQ(italian_datetime_after("dal", "2027-07-11"), "dall'11 luglio 2027");
  EXPECT_EQ(italian_datetime_after("al", "2027-04-08T19:00"), "all'8 aprile 2027, ore 19:00");
  EXPECT_EQ(italian_datetime_after("il", "2027-03-08"), "l'8 marzo 2027");
  EXPECT_EQ(italian_datetime_after("del", "2027-03-11"), "dell'11 marzo 2027");
  EXPECT_EQ(italian_datetime_after("entro il", "2027-03-08"), "entro l'8 marzo 2027");
}

TEST(ItalianDate, NoElisionBeforeOtherDaysNorBeforeTheFirst) {
  EXPECT_EQ(italian_datetime_after("al", "2027-07-01"), "al 1° luglio 2027");
  EXPECT_EQ(italian_datetime_after("il", "2027-03-01"), "il 1° marzo 2027");
  EXPECT_EQ(italian_datetime_after("dal", "2027-03-02"), "dal 2 marzo 2027");
  EXPECT_EQ(italian_datetime_after("dal", "2027-03-18"), "dal 18 marzo 2027");
  EXPECT_EQ(italian_datetime_after("il", "2027-04-18"), "il 18 aprile 2027");
  EXPECT_EQ(italian_datetime_after("dal", "2027-03-28"), "dal 28 marzo 2027");
  EXPECT_EQ(after_preposition("fino al", "1° luglio"), "fino al 1° luglio");
  // Shares: ottanta, ottantacinque, undici, but not diciotto nor centoundici.
  EXPECT_EQ(after_preposition("almeno il", "80 %"), "almeno l'80 %");
  EXPECT_EQ(after_preposition("almeno il", "85 %"), "almeno l'85 %");
  EXPECT_EQ(after_preposition("almeno il", "11 %"), "almeno l'11 %");
  EXPECT_EQ(after_preposition("almeno il", "18 %"), "almeno il 18 %");
  EXPECT_EQ(after_preposition("almeno il", "111 %"), "almeno il 111 %");
  EXPECT_EQ(after_preposition("almeno il", "75 %"), "almeno il 75 %");
}

TEST(ItalianDate, MeetingsCarryTheirWeekday) {
  EXPECT_EQ(italian_weekday("2027-06-08"), "martedì");
  EXPECT_EQ(italian_weekday("2027-06-13"), "domenica");
  EXPECT_EQ(italian_weekday("2027-02-30"), "");
  EXPECT_EQ(italian_meeting("2027-06-10", "17:00", "19:00"), "giovedì 10 giugno 2027, ore 17:00–19:00");
  EXPECT_EQ(italian_meeting("2027-07-01", "09:30", "18:00"), "giovedì 1° luglio 2027, ore 09:30–18:00");
}

}  // namespace
}  // namespace bp
