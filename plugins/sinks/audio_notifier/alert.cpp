// Builds alerts from events and renders their spoken phrases.
#include "alert.hpp"

#include <charconv>
#include <cmath>
#include <cstdio>

namespace flowmind {
namespace {

const nlohmann::json* field(const nlohmann::json& object, const char* key) {
  if (!object.is_object()) return nullptr;
  const auto it = object.find(key);
  return it == object.end() || it->is_null() ? nullptr : &*it;
}

std::string text_of(const nlohmann::json* value) {
  if (value == nullptr || value->is_null()) return {};
  if (value->is_string()) return value->get<std::string>();
  if (value->is_number_float()) {
    const double number = value->get<double>();
    if (std::trunc(number) == number && std::abs(number) < 1e15) return std::to_string(static_cast<long long>(number));
  }
  return value->dump();
}

bool truthy(const nlohmann::json* value) {
  if (value == nullptr || value->is_null()) return false;
  if (value->is_boolean()) return value->get<bool>();
  if (value->is_number()) return value->get<double>() != 0;
  if (value->is_string()) return !value->get_ref<const std::string&>().empty() && *value != "false";
  return !value->empty();
}

// "DIA241018C00415000" -> "415 call"
std::string contract_of(const std::string& occ) {
  if (occ.size() < 16) return {};
  const std::string tail = occ.substr(occ.size() - 15);
  const char side = tail[6];
  if ((side != 'C' && side != 'P') || tail.substr(7).find_first_not_of("0123456789") != std::string::npos) return {};
  const double strike = std::stod(tail.substr(7)) / 1000.0;
  char text[32];
  std::snprintf(text, sizeof text, "%g", strike);
  return std::string(text) + (side == 'C' ? " call" : " put");
}

std::string tidy(const std::string& text) {
  std::string out;
  for (char c : text) {
    if (c == ' ' && (out.empty() || out.back() == ' ')) continue;
    if (c == ',' && !out.empty() && out.back() == ' ') out.pop_back();
    if (c == ',' && (out.empty() || out.back() == ',')) continue;
    out += c;
  }
  while (!out.empty() && (out.back() == ' ' || out.back() == ',')) out.pop_back();
  return out;
}

}  // namespace

std::optional<double> tolerant_number(const nlohmann::json* value) {
  if (value == nullptr) return std::nullopt;
  if (value->is_number()) return value->get<double>();
  if (value->is_string()) {
    const auto& text = value->get_ref<const std::string&>();
    double number = 0;
    const auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), number);
    if (error == std::errc() && end == text.data() + text.size() && !text.empty()) return number;
  }
  return std::nullopt;
}

const nlohmann::json* json_path(const nlohmann::json& root, const std::string& path) {
  const nlohmann::json* node = &root;
  std::size_t start = 0;
  while (node != nullptr && start <= path.size()) {
    const auto dot = path.find('.', start);
    const std::string key = path.substr(start, dot == std::string::npos ? std::string::npos : dot - start);
    if (node->is_object()) {
      const auto it = node->find(key);
      node = it == node->end() ? nullptr : &*it;
    } else if (node->is_array() && !key.empty() && key.size() < 9 &&
               key.find_first_not_of("0123456789") == std::string::npos && std::stoul(key) < node->size()) {
      node = &(*node)[std::stoul(key)];
    } else {
      node = nullptr;
    }
    if (dot == std::string::npos) break;
    start = dot + 1;
  }
  return node;
}

Alert make_alert(const Event& event, const std::string& fixed_kind) {
  Alert alert;
  alert.channel = event.channel();
  alert.timestamp = Event::iso8601_ms(event.received_at());
  alert.annotations = event.annotations();
  try {
    alert.payload = event.payload();
  } catch (const PayloadError&) {
    alert.payload = nullptr;
  }
  const auto& notes = alert.annotations;
  const auto& data = alert.payload;

  for (const auto* value : {field(notes, "symbol"), field(notes, "ticker"), field(data, "ticker"),
                            field(data, "symbol"), field(data, "underlying_symbol")}) {
    if (value != nullptr && value->is_string() && !value->get_ref<const std::string&>().empty()) {
      alert.symbol = value->get<std::string>();
      break;
    }
  }
  if (alert.symbol.empty() && alert.channel.find(':') != std::string::npos) {
    alert.symbol = alert.channel.substr(alert.channel.find(':') + 1);
  }

  for (const auto* value : {field(notes, "premium"), field(data, "total_premium"), field(data, "premium")}) {
    if ((alert.premium = tolerant_number(value))) break;
  }
  const auto* option_chain = field(data, "option_chain");
  if (!alert.premium) {
    const auto price = tolerant_number(field(data, "price"));
    const auto size = tolerant_number(field(data, "size"));
    if (price && size) alert.premium = *price * *size * (option_chain != nullptr ? 100 : 1);
  }
  if (option_chain != nullptr && option_chain->is_string())
    alert.contract = contract_of(option_chain->get<std::string>());

  if (!fixed_kind.empty()) {
    alert.kind = fixed_kind;
  } else if (const auto* kind = field(notes, "alert_kind"); kind != nullptr && kind->is_string()) {
    alert.kind = kind->get<std::string>();
  } else if (truthy(field(notes, "whale"))) {
    alert.kind = "whale";
  } else if (truthy(field(data, "has_sweep")) || truthy(field(notes, "sweep"))) {
    alert.kind = "sweep";
  } else if (alert.channel == "off_lit_trades" || alert.channel == "lit_trades") {
    alert.kind = "dark_pool";
  } else if (alert.channel == "flow-alerts") {
    alert.kind = "flow";
  } else if (alert.channel.starts_with("price:")) {
    alert.kind = "price";
  } else {
    alert.kind = "alert";
  }
  return alert;
}

std::string premium_short(double premium) {
  const double size = std::abs(premium);
  const auto scaled = [&](double unit, const char* word) {
    char text[32];
    const double value = premium / unit;
    std::snprintf(text, sizeof text, std::abs(value) >= 100 ? "%.0f" : "%.3g", value);
    return std::string(text) + " " + word;
  };
  if (size >= 1e9) return scaled(1e9, "billion");
  if (size >= 1e6) return scaled(1e6, "million");
  if (size >= 1e3) return scaled(1e3, "thousand");
  char text[32];
  std::snprintf(text, sizeof text, "%.0f", premium);
  return text;
}

std::string render_template(const std::string& text, const Alert& alert, std::uint64_t more,
                            const std::string& spoken) {
  std::string out;
  for (std::size_t i = 0; i < text.size(); ++i) {
    if (text[i] != '{') {
      out += text[i];
      continue;
    }
    const auto close = text.find('}', i);
    if (close == std::string::npos) {
      out += text.substr(i);
      break;
    }
    const std::string name = text.substr(i + 1, close - i - 1);
    i = close;
    if (name == "symbol") {
      out += alert.symbol;
    } else if (name == "kind") {
      std::string kind = alert.kind;
      for (char& c : kind) c = c == '_' ? ' ' : c;
      out += kind;
    } else if (name == "premium") {
      if (alert.premium) out += std::to_string(static_cast<long long>(std::llround(*alert.premium)));
    } else if (name == "premium_short") {
      if (alert.premium) out += premium_short(*alert.premium);
    } else if (name == "contract") {
      out += alert.contract;
    } else if (name == "channel") {
      out += alert.channel;
    } else if (name == "count") {
      out += std::to_string(more + 1);
    } else if (name == "more") {
      out += std::to_string(more);
    } else if (name == "text") {
      out += spoken;
    } else if (name.starts_with("annotations.")) {
      out += text_of(json_path(alert.annotations, name.substr(12)));
    } else {
      out += text_of(json_path(alert.payload, name));
    }
  }
  return tidy(out);
}

nlohmann::json alert_json(const Alert& alert, const std::string& text, std::uint64_t more) {
  nlohmann::json out = {{"text", text},
                        {"symbol", alert.symbol},
                        {"kind", alert.kind},
                        {"channel", alert.channel},
                        {"timestamp", alert.timestamp},
                        {"more", more},
                        {"contract", alert.contract}};
  out["premium"] = alert.premium ? nlohmann::json(*alert.premium) : nlohmann::json(nullptr);
  out["data"] = alert.payload;
  if (!alert.annotations.empty()) out["annotations"] = alert.annotations;
  return out;
}

}  // namespace flowmind
