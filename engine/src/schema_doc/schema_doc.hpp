// Renders a plugin's config schema for people (`flowmind plugins NAME`, README tables) and tools (--json).
#pragma once

#include <string>

#include <nlohmann/json.hpp>

#include "flowmind/config_schema.hpp"
#include "flowmind/plugin.hpp"

namespace flowmind {

// Aligned plain-text table: OPTION, TYPE, DEFAULT ("required" when required), ALLOWED (values or
// range), DESCRIPTION. Fields of list/map options follow their option as `conditions[].field` rows.
// Defaults and bounds of durations and sizes appear as written in the schema ("30s").
[[nodiscard]] std::string render_options_text(const Schema& schema);

// The same table in Markdown, exactly what each plugin README holds between
// `<!-- options:begin -->` and `<!-- options:end -->`.
[[nodiscard]] std::string render_options_markdown(const Schema& schema);

// {"options":[{key, type, doc, required, default?, default_doc?, min?, max?, values?, items?,
// fields?}], "allow_unknown_keys": bool}; `fields` has the same shape, recursively.
[[nodiscard]] nlohmann::json schema_to_json(const Schema& schema);

// {name, kind, summary, options, allow_unknown_keys} for `flowmind plugins NAME --json`.
[[nodiscard]] nlohmann::json factory_to_json(const Factory& factory);

}  // namespace flowmind
