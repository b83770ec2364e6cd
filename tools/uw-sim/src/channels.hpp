// UW channel names: which are known, and which are scoped to a ticker.
#pragma once

#include <optional>
#include <string>
#include <utility>

namespace flowmind::uwsim {

// "price:SPY" -> {"price","SPY"}; nullopt for names without a ticker scope.
std::optional<std::pair<std::string, std::string>> split_scoped_channel(const std::string& channel);

// True for every channel UW documents, ticker-scoped ones with any plausible ticker.
bool is_known_channel(const std::string& channel);

}  // namespace flowmind::uwsim
