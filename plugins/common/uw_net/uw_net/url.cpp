// Parsing of the ws/wss/http/https URLs the UW sources connect to.
#include "uw_net/url.hpp"

#include <algorithm>
#include <cctype>

#include <boost/asio/ip/address.hpp>

namespace flowmind::uw_net {
namespace {

std::string lower(std::string_view text) {
  std::string out(text);
  std::transform(out.begin(), out.end(), out.begin(), [](unsigned char c) { return std::tolower(c); });
  return out;
}

const char* default_port(const std::string& scheme) {
  if (scheme == "ws" || scheme == "http") return "80";
  if (scheme == "wss" || scheme == "https") return "443";
  return nullptr;
}

bool valid_port(std::string_view port) {
  if (port.empty() || port.size() > 5) return false;
  if (!std::all_of(port.begin(), port.end(), [](unsigned char c) { return std::isdigit(c) != 0; })) return false;
  const int value = std::stoi(std::string(port));
  return value >= 1 && value <= 65535;
}

bool valid_host_char(unsigned char c) { return std::isalnum(c) != 0 || c == '-' || c == '.' || c == '_'; }

}  // namespace

bool Url::loopback() const {
  if (lower(host) == "localhost") return true;
  boost::system::error_code error;
  const auto address = boost::asio::ip::make_address(host, error);
  return !error && address.is_loopback();
}

std::optional<Url> parse_url(std::string_view text, std::string& error) {
  const auto scheme_end = text.find("://");
  if (scheme_end == std::string_view::npos || scheme_end == 0) {
    error = "not a URL (expected scheme://host[:port]/path)";
    return std::nullopt;
  }
  Url url;
  url.scheme = lower(text.substr(0, scheme_end));
  const char* port = default_port(url.scheme);
  if (port == nullptr) {
    error = "unsupported URL scheme '" + url.scheme + "' (use ws, wss, http or https)";
    return std::nullopt;
  }
  std::string_view rest = text.substr(scheme_end + 3);
  if (const auto fragment = rest.find('#'); fragment != std::string_view::npos) rest = rest.substr(0, fragment);
  const auto authority_end = rest.find_first_of("/?");
  std::string_view authority = rest.substr(0, authority_end);
  std::string_view target = authority_end == std::string_view::npos ? std::string_view() : rest.substr(authority_end);
  if (authority.find('@') != std::string_view::npos) {
    error = "credentials in the URL are not supported (use the token option)";
    return std::nullopt;
  }
  std::string_view port_text;
  if (!authority.empty() && authority.front() == '[') {
    const auto close = authority.find(']');
    if (close == std::string_view::npos) {
      error = "unterminated IPv6 address in the URL";
      return std::nullopt;
    }
    url.host = std::string(authority.substr(1, close - 1));
    const auto after = authority.substr(close + 1);
    if (!after.empty()) {
      if (after.front() != ':') {
        error = "unexpected text after the IPv6 address in the URL";
        return std::nullopt;
      }
      port_text = after.substr(1);
      if (port_text.empty()) port_text = "x";  // "host:" without a port is an error below
    }
    boost::system::error_code bad;
    (void)boost::asio::ip::make_address_v6(url.host, bad);
    if (bad) {
      error = "invalid IPv6 address in the URL";
      return std::nullopt;
    }
  } else {
    const auto colon = authority.rfind(':');
    if (colon != std::string_view::npos) {
      port_text = authority.substr(colon + 1);
      if (port_text.empty()) port_text = "x";
      authority = authority.substr(0, colon);
    }
    url.host = std::string(authority);
    if (!std::all_of(url.host.begin(), url.host.end(), [](unsigned char c) { return valid_host_char(c); })) {
      error = "invalid host name in the URL";
      return std::nullopt;
    }
  }
  if (url.host.empty()) {
    error = "the URL has no host";
    return std::nullopt;
  }
  if (!port_text.empty() && !valid_port(port_text)) {
    error = "invalid port in the URL (expected 1..65535)";
    return std::nullopt;
  }
  url.port = port_text.empty() ? std::string(port) : std::string(port_text);
  url.target = target.empty() ? "/" : std::string(target);
  if (url.target.front() == '?') url.target.insert(0, "/");
  if (url.target.find_first_of(" \t\r\n") != std::string::npos) {
    error = "the URL path contains white space";
    return std::nullopt;
  }
  return url;
}

}  // namespace flowmind::uw_net
