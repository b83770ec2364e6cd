// "Did you mean ...?" suggestions for misspelled keys, plugin names and enumeration values.
#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace flowmind {

// Optimal string alignment distance (Levenshtein plus adjacent transpositions), case-insensitive.
[[nodiscard]] std::size_t edit_distance(std::string_view a, std::string_view b);

// The closest candidate within max(2, word length / 3) edits; the first one wins a tie.
[[nodiscard]] std::optional<std::string> closest_match(std::string_view word,
                                                       const std::vector<std::string>& candidates);

// " (did you mean 'rate'?)" with the given quote character, or "" when nothing is close.
[[nodiscard]] std::string did_you_mean(std::string_view word, const std::vector<std::string>& candidates,
                                       char quote = '\'');

}  // namespace flowmind
