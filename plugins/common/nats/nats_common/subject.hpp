// Channel names -> NATS subjects: the subject template of the sink and the subject checks of both plugins.
#pragma once

#include <string>
#include <string_view>

namespace flowmind::nats {

// A channel as NATS subject tokens: each ':' starts a new token ("price:SPY" -> "price.SPY", so
// subscribers can use "uw.price.*"); inside a token, letters, digits, '-' and '_' stay and every
// other byte (including '.', '*', '>', '%', white space, non-ASCII) becomes %XX (upper-case hex);
// an empty token becomes "%" (a real '%' is always "%25", so the mapping never collides).
std::string channel_subject_tokens(std::string_view channel);

// The template with every "{channel}" replaced by channel_subject_tokens(channel).
std::string render_subject(std::string_view subject_template, std::string_view channel);

// Empty when `subject` is a valid NATS subject (non-empty dot-separated tokens without white space;
// with `wildcards`, '*' as a whole token and '>' as the whole last token), else the reason.
std::string subject_problem(std::string_view subject, bool wildcards);

}  // namespace flowmind::nats
