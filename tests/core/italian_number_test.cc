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

}  // namespace
}  // namespace bp
