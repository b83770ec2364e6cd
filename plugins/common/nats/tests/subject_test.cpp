// Channel -> subject mapping and the subject syntax check.
#include <gtest/gtest.h>

#include "nats_common/subject.hpp"

namespace flowmind::nats {
namespace {

TEST(ChannelSubject, ColonsBecomeTokensSoWildcardsSelectFamilies) {
  EXPECT_EQ(channel_subject_tokens("flow-alerts"), "flow-alerts");
  EXPECT_EQ(channel_subject_tokens("price:SPY"), "price.SPY");
  EXPECT_EQ(channel_subject_tokens("gex_strike_expiry:QQQ"), "gex_strike_expiry.QQQ");
  EXPECT_EQ(render_subject("uw.{channel}", "price:SPY"), "uw.price.SPY");
}

TEST(ChannelSubject, UnsafeBytesArePercentEncoded) {
  EXPECT_EQ(channel_subject_tokens("a.b"), "a%2Eb");
  EXPECT_EQ(channel_subject_tokens("a*b>c"), "a%2Ab%3Ec");
  EXPECT_EQ(channel_subject_tokens("a b\tc"), "a%20b%09c");
  EXPECT_EQ(channel_subject_tokens("50%"), "50%25");
  EXPECT_EQ(channel_subject_tokens("\xC3\xA9"), "%C3%A9");
  EXPECT_EQ(channel_subject_tokens("price:"), "price.%");
  EXPECT_EQ(channel_subject_tokens(""), "%");
  // Distinct channels never share a subject.
  EXPECT_NE(channel_subject_tokens("price:%"), channel_subject_tokens("price:"));
  EXPECT_NE(channel_subject_tokens("a.b"), channel_subject_tokens("a:b"));
}

TEST(ChannelSubject, EveryMappedChannelIsAValidSubject) {
  for (const char* channel : {"flow-alerts", "price:SPY", "a..b", "::", "x*y", "> all", "\x01"}) {
    EXPECT_EQ(subject_problem(render_subject("uw.{channel}", channel), false), "") << channel;
  }
}

TEST(ChannelSubject, TemplateMayRepeatOrOmitThePlaceholder) {
  EXPECT_EQ(render_subject("all.uw", "price:SPY"), "all.uw");
  EXPECT_EQ(render_subject("{channel}.{channel}", "news"), "news.news");
}

TEST(SubjectProblem, RejectsMalformedSubjects) {
  EXPECT_EQ(subject_problem("uw.flow-alerts", false), "");
  EXPECT_NE(subject_problem("", false), "");
  EXPECT_NE(subject_problem("uw..x", false), "");
  EXPECT_NE(subject_problem(".uw", false), "");
  EXPECT_NE(subject_problem("uw.", false), "");
  EXPECT_NE(subject_problem("uw x", false), "");
  EXPECT_NE(subject_problem("uw.*", false), "");
  EXPECT_EQ(subject_problem("uw.*", true), "");
  EXPECT_EQ(subject_problem("uw.>", true), "");
  EXPECT_EQ(subject_problem("uw.*.SPY", true), "");
  EXPECT_NE(subject_problem("uw.>.SPY", true), "");
  EXPECT_NE(subject_problem("uw.pri*", true), "");
}

}  // namespace
}  // namespace flowmind::nats
