// Checks the text, Markdown and JSON renderings of plugin config schemas.
#include "schema_doc/schema_doc.hpp"

#include <memory>
#include <sstream>
#include <string>
#include <vector>

#include <gtest/gtest.h>

namespace flowmind {
namespace {

std::vector<std::string> lines_of(const std::string& text) {
  std::vector<std::string> lines;
  std::istringstream in(text);
  for (std::string line; std::getline(in, line);) lines.push_back(line);
  return lines;
}

// A schema using every kind of row the renderers know about.
Schema sample_schema() {
  auto condition = std::make_shared<Schema>();
  condition->option("field", OptionType::string, "Dotted path into the payload");
  condition->option("op", OptionType::enumeration, "Comparison").values({"eq", "in"}).def("eq");
  auto tls = std::make_shared<Schema>();
  tls->option("cert", OptionType::string, "Certificate file").required();

  Schema schema;
  schema.option("path", OptionType::string, "Output file").required();
  schema.option("rate", OptionType::number, "Events per second, 0 = as fast as possible").def(10).min(0);
  schema.option("interval", OptionType::duration, "Flush interval").def("30s").range("1ms", "1h");
  schema.option("max_size", OptionType::size, "Rotate above this size").def("4MiB").max("1GiB");
  schema.option("format", OptionType::enumeration, "Line format: envelope|payload")
      .values({"envelope", "payload"})
      .def("envelope");
  schema.option("tickers", OptionType::list, "Symbols").items(OptionType::string).def(nlohmann::json{"SPY", "QQQ"});
  schema.option("conditions", OptionType::list, "Conditions").items(OptionType::map).fields(condition).required();
  schema.option("tls", OptionType::map, "TLS settings").fields(tls);
  schema.option("threads", OptionType::integer, "Worker threads").default_doc("number of cores").min(1);
  schema.option("label", OptionType::string, "Free text").def("");
  schema.option("extra", OptionType::any, "Anything");
  return schema;
}

TEST(SchemaDocText, HasHeaderAndOneAlignedRowPerOptionAndField) {
  const auto lines = lines_of(render_options_text(sample_schema()));
  ASSERT_EQ(lines.size(), 15U);  // header + 11 options + 2 condition fields + 1 tls field
  EXPECT_EQ(lines[0].rfind("OPTION", 0), 0U);
  const auto type_column = lines[0].find("TYPE");
  const auto default_column = lines[0].find("DEFAULT");
  const auto allowed_column = lines[0].find("ALLOWED");
  const auto doc_column = lines[0].find("DESCRIPTION");
  ASSERT_NE(doc_column, std::string::npos);
  // Every row's cells start at the header's columns.
  EXPECT_EQ(lines[2].substr(type_column, 6), "number");
  EXPECT_EQ(lines[2].substr(default_column, 3), "10 ");
  EXPECT_EQ(lines[2].substr(allowed_column, 4), ">= 0");
  EXPECT_EQ(lines[2].substr(doc_column), "Events per second, 0 = as fast as possible");
  for (const auto& line : lines) EXPECT_NE(line.back(), ' ') << line;
}

TEST(SchemaDocText, ShowsRequiredDefaultsAsWrittenRangesAndNestedFields) {
  const auto text = render_options_text(sample_schema());
  const auto lines = lines_of(text);
  auto line_of = [&](const std::string& key) -> std::string {
    for (const auto& line : lines) {
      if (line.rfind(key + " ", 0) == 0) return line;
    }
    return {};
  };
  EXPECT_NE(line_of("path").find("required"), std::string::npos);
  EXPECT_NE(line_of("interval").find("30s"), std::string::npos);
  EXPECT_NE(line_of("interval").find("1ms .. 1h"), std::string::npos);
  EXPECT_NE(line_of("max_size").find("4MiB"), std::string::npos);
  EXPECT_NE(line_of("max_size").find("<= 1GiB"), std::string::npos);
  EXPECT_NE(line_of("format").find("envelope, payload"), std::string::npos);
  EXPECT_NE(line_of("tickers").find("list[string]"), std::string::npos);
  EXPECT_NE(line_of("tickers").find(R"(["SPY","QQQ"])"), std::string::npos);
  EXPECT_NE(line_of("conditions").find("list[map]"), std::string::npos);
  EXPECT_NE(line_of("conditions[].field").find("Dotted path into the payload"), std::string::npos);
  EXPECT_NE(line_of("conditions[].op").find("eq, in"), std::string::npos);
  EXPECT_NE(line_of("tls.cert").find("required"), std::string::npos);
  EXPECT_NE(line_of("threads").find("number of cores"), std::string::npos);
  EXPECT_NE(line_of("label").find("\"\""), std::string::npos);
  EXPECT_NE(line_of("extra").find(" - "), std::string::npos);
  EXPECT_EQ(text.find("Other keys"), std::string::npos);
}

TEST(SchemaDocText, EmptySchemaAndUnknownKeys) {
  EXPECT_EQ(render_options_text(Schema{}), "This plugin has no options.\n");
  Schema open;
  open.option("a", OptionType::boolean, "A flag").def(false);
  open.allow_unknown_keys();
  const auto lines = lines_of(render_options_text(open));
  ASSERT_EQ(lines.size(), 3U);
  EXPECT_EQ(lines[1], "a       bool  false             A flag");
  EXPECT_EQ(lines[2], "Other keys are accepted as well.");
}

TEST(SchemaDocText, AnOverlongCellKeepsItsTextAndTheRowContinuesAlignedBelow) {
  Schema schema;
  schema.option("tickers", OptionType::list, "Symbols")
      .items(OptionType::string)
      .def(nlohmann::json{"SPY", "QQQ", "IWM", "AAPL", "MSFT", "NVDA", "TSLA", "AMZN", "META", "GOOGL"});
  schema.option("n", OptionType::integer, "A number").def(1).range(0, 9);
  const auto lines = lines_of(render_options_text(schema));
  ASSERT_EQ(lines.size(), 4U);
  EXPECT_EQ(lines[0], "OPTION   TYPE          DEFAULT  ALLOWED  DESCRIPTION");
  EXPECT_EQ(lines[1],
            R"(tickers  list[string]  ["SPY","QQQ","IWM","AAPL","MSFT","NVDA","TSLA","AMZN","META","GOOGL"])");
  EXPECT_EQ(lines[2], "                                         Symbols");
  EXPECT_EQ(lines[3], "n        int           1        0 .. 9   A number");
}

TEST(SchemaDocMarkdown, RendersTheExactTable) {
  const std::string expected =
      "| Option | Type | Default | Allowed | Description |\n"
      "|---|---|---|---|---|\n"
      "| `path` | string | required |  | Output file |\n"
      "| `rate` | number | `10` | >= 0 | Events per second, 0 = as fast as possible |\n"
      "| `interval` | duration | `30s` | 1ms .. 1h | Flush interval |\n"
      "| `max_size` | size | `4MiB` | <= 1GiB | Rotate above this size |\n"
      "| `format` | enum | `envelope` | `envelope`, `payload` | Line format: envelope\\|payload |\n"
      "| `tickers` | list[string] | `[\"SPY\",\"QQQ\"]` |  | Symbols |\n"
      "| `conditions` | list[map] | required |  | Conditions |\n"
      "| `conditions[].field` | string |  |  | Dotted path into the payload |\n"
      "| `conditions[].op` | enum | `eq` | `eq`, `in` | Comparison |\n"
      "| `tls` | map |  |  | TLS settings |\n"
      "| `tls.cert` | string | required |  | Certificate file |\n"
      "| `threads` | int | number of cores | >= 1 | Worker threads |\n"
      "| `label` | string | `\"\"` |  | Free text |\n"
      "| `extra` | any |  |  | Anything |\n";
  EXPECT_EQ(render_options_markdown(sample_schema()), expected);
}

TEST(SchemaDocMarkdown, EscapesPipesAndLineBreaksInsideCells) {
  Schema schema;
  schema.option("sep", OptionType::string, "One of a|b\nor c").def("|");
  EXPECT_EQ(lines_of(render_options_markdown(schema)).at(2), "| `sep` | string | `\\|` |  | One of a\\|b or c |");
  EXPECT_EQ(render_options_markdown(Schema{}), "This plugin has no options.\n");
}

TEST(SchemaDocJson, DescribesEveryOptionAndNestedFields) {
  const auto json = schema_to_json(sample_schema());
  ASSERT_TRUE(json.at("options").is_array());
  ASSERT_EQ(json.at("options").size(), 11U);
  EXPECT_FALSE(json.at("allow_unknown_keys").get<bool>());

  const auto& path = json["options"][0];
  EXPECT_EQ(path.at("key"), "path");
  EXPECT_EQ(path.at("type"), "string");
  EXPECT_EQ(path.at("doc"), "Output file");
  EXPECT_TRUE(path.at("required").get<bool>());
  EXPECT_FALSE(path.contains("default"));
  EXPECT_FALSE(path.contains("min"));

  const auto& interval = json["options"][2];
  EXPECT_EQ(interval.at("default"), "30s");
  EXPECT_EQ(interval.at("min"), "1ms");
  EXPECT_EQ(interval.at("max"), "1h");
  EXPECT_FALSE(interval.at("required").get<bool>());

  EXPECT_EQ(json["options"][4].at("values"), nlohmann::json({"envelope", "payload"}));
  EXPECT_EQ(json["options"][5].at("items"), "string");
  EXPECT_EQ(json["options"][5].at("default"), nlohmann::json({"SPY", "QQQ"}));

  const auto& conditions = json["options"][6];
  EXPECT_EQ(conditions.at("items"), "map");
  const auto& fields = conditions.at("fields").at("options");
  ASSERT_EQ(fields.size(), 2U);
  EXPECT_EQ(fields[1].at("key"), "op");
  EXPECT_EQ(fields[1].at("default"), "eq");
  EXPECT_EQ(fields[1].at("values"), nlohmann::json({"eq", "in"}));
  EXPECT_TRUE(json["options"][7].at("fields").at("options")[0].at("required").get<bool>());
  EXPECT_EQ(json["options"][8].at("default_doc"), "number of cores");
  EXPECT_FALSE(json["options"][8].contains("default"));
  EXPECT_EQ(json["options"][9].at("default"), "");
}

class SampleFactory final : public SinkFactory {
 public:
  SampleFactory() { schema_.option("format", OptionType::enumeration, "Format").values({"a", "b"}).def("a"); }
  [[nodiscard]] std::string_view name() const override { return "sample"; }
  [[nodiscard]] std::string_view summary() const override { return "Writes samples"; }
  [[nodiscard]] const Schema& schema() const override { return schema_; }
  [[nodiscard]] std::unique_ptr<Sink> create(const Config& /*config*/) const override { throw PluginError("not used"); }

 private:
  Schema schema_;
};

TEST(SchemaDocJson, FactoryHasNameKindSummaryAndOptions) {
  const SampleFactory factory;
  const auto json = factory_to_json(factory);
  EXPECT_EQ(json.at("name"), "sample");
  EXPECT_EQ(json.at("kind"), "sink");
  EXPECT_EQ(json.at("summary"), "Writes samples");
  ASSERT_EQ(json.at("options").size(), 1U);
  EXPECT_EQ(json["options"][0].at("key"), "format");
  EXPECT_EQ(json.at("allow_unknown_keys"), false);
}

}  // namespace
}  // namespace flowmind
