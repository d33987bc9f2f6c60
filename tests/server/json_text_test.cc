// site::json_text writes exactly what nlohmann's dump writes.
#include "bp/site/respond.h"

#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

namespace bp::site {
namespace {

using nlohmann::json;

std::string reference(const json& v) { return v.dump(-1, ' ', false, json::error_handler_t::replace); }

TEST(JsonText, WritesWhatNlohmannWrites) {
  const std::vector<std::string> strings = {
      "", "plain", "città è più 😀", "quote \" backslash \\ slash /", "tab\tnew\nline\r\x01\x1f\x7f",
      "<mark>x</mark> &amp;", "bad \xff byte", "cut \xc3", "overlong \xc0\xaf", "surrogate \xed\xa0\x80",
      "too big \xf4\x90\x80\x80", "ok 4 bytes \xf0\x9f\x98\x80", "ok \xe0\xa0\x80 \xef\xbf\xbd",
      // Past eight plain bytes (read eight at a time): a quote, a backslash,
      // a control character, DEL, a bad byte.
      "sixteen plain by\"tes", "sixteen plain by\\tes", "sixteen plain by\x1ftes", "sixteen plain by\x7f",
      "sixteen plain bytes then \xff", "0123456789abcdef \xc3\xa0 0123456789abcdef\n",
      "all \b\f\n\r\t\x0b\x1b \"\\ at once, then città \xe2\x80\xa6", std::string("nul \0 inside", 13)};
  for (const auto& s : strings) {
    EXPECT_EQ(json_text(json(s)), reference(json(s))) << s;
    const json object = {{s, s}, {"n", -42}, {"u", 18446744073709551615ull}, {"f", 419.386516},
                         {"b", true}, {"z", nullptr}, {"a", {1, "x", s, json::object(), json::array()}}};
    EXPECT_EQ(json_text(object), reference(object)) << s;
  }
}

TEST(JsonWriter, WritesWhatNlohmannWritesForTheSameValue) {
  // An object's keys are given in nlohmann's order (sorted), as the search
  // answer writes them.
  const std::vector<std::string> strings = {"", "città è più 😀", "quote \" backslash \\",
                                            "tab\tnew\nline\x01", "bad \xff byte", "cut \xc3"};
  for (const auto& s : strings) {
    JsonWriter w;
    w.begin_object();
    w.key("a").begin_array().integer(1).string("x").string(s).begin_object().end_object().begin_array().end_array().end_array();
    w.key("b").boolean(true);
    w.key("f").number(419.386516);
    w.key("l").strings(std::vector<std::string>{s, "y"});
    w.key("n").integer(-42);
    w.key("u").unsigned_integer(18446744073709551615ull);
    w.key("z").null();
    w.key("~" + s).string(s);
    w.end_object();
    const json object = {{"a", {1, "x", s, json::object(), json::array()}}, {"b", true}, {"f", 419.386516},
                         {"l", {s, "y"}}, {"n", -42}, {"u", 18446744073709551615ull}, {"z", nullptr},
                         {"~" + s, s}};
    EXPECT_EQ(w.take(), reference(object)) << s;
  }
  JsonWriter empty;
  empty.begin_array().end_array();
  EXPECT_EQ(empty.take(), "[]");
}

}  // namespace
}  // namespace bp::site
