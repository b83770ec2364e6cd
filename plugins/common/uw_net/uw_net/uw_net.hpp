// The whole flowmind_uw_net library in one include (URL, redaction, TLS, backoff).
#pragma once

#include "uw_net/backoff.hpp"
#include "uw_net/redact.hpp"
#include "uw_net/tls.hpp"
#include "uw_net/url.hpp"
