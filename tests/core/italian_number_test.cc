#include "bp/italian_number.h"

#include <gtest/gtest.h>

namespace bp {
namespace {

TEST(ItalianNumber, ThousandsTakeADotAndDecimalsAComma) {
  EXPECT_EQ(italian_number("6800"), "6.800");
  EXPECT_EQ(italian_number("610000"), "610.000");
  EXPECT_EQ(italian_number("1320000"), "1.320.000");
  EXPECT_EQ(italian_number("999"), "999");
  EXPECT_EQ(italian_number("7.4"), "7,4");
  EXPECT_EQ(italian_number("12500.75"), "12.500,75");
  EXPECT_EQ(italian_number("-0.25"), "-0,25");
  EXPECT_EQ(italian_number("+3"), "3");
}

TEST(ItalianNumber, AnythingElseIsShownAsWritten) {
  for (const char* text : {"oltre 300", "1e3", "1.500,5", "", "-", "3.", ".5", "1.2.3", "12 %"})
    EXPECT_EQ(italian_number(text), text);
}

TEST(ItalianNumber, Thousands) {
  EXPECT_EQ(italian_thousands(0), "0");
  EXPECT_EQ(italian_thousands(2160), "2.160");
  EXPECT_EQ(italian_thousands(18446744073709551615ull), "18.446.744.073.709.551.615");
}

TEST(ItalianNumber, TypedTheItalianWayBecomesTheCaseFilesNumber) {
  EXPECT_EQ(number_from_italian("1.200"), "1200");
  EXPECT_EQ(number_from_italian("1.320.000"), "1320000");
  EXPECT_EQ(number_from_italian("1.234,5"), "1234.5");
  EXPECT_EQ(number_from_italian("0,5"), "0.5");
  EXPECT_EQ(number_from_italian("-12,75"), "-12.75");
  // Already a case file's number, or not a number: as typed.
  for (const char* text : {"6800", "7.4", "12.50", "oltre 300", "", "1.2.3", "1,2,3", "1.2345", ".200", "1,", "3 %"})
    EXPECT_EQ(number_from_italian(text), text);
}

TEST(ItalianNumber, ADotBeforeThreeDigitsReadsAsThousands) {
  for (const char* text : {"1.200", "12.500", "340.000", "-1.500"}) EXPECT_TRUE(reads_as_thousands(text)) << text;
  for (const char* text : {"1200", "7.4", "12.50", "1.2345", "1234.500", "1.200.000", "a.bcd", ""})
    EXPECT_FALSE(reads_as_thousands(text)) << text;
}

}  // namespace
}  // namespace bp
