// `flowmind plugins` and `--version`; each plugin README's options table matches its schema.
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "test_support.hpp"

namespace flowmind::testing {
namespace {

using namespace std::chrono_literals;

ProcessResult flowmind(const std::vector<std::string>& args) {
  std::vector<std::string> argv{flowmind_executable().string()};
  argv.insert(argv.end(), args.begin(), args.end());
  return run_process(argv, 60s);
}

TEST(CliPlugins, ListsEveryBuiltPluginWithItsKind) {
  const auto result = flowmind({"plugins"});
  ASSERT_EQ(result.exit_code, 0) << result.err;
  for (const auto* row : {"generator", "match", "stdout"}) {
    EXPECT_NE(result.out.find(row), std::string::npos) << result.out;
  }
  EXPECT_NE(result.out.find("source"), std::string::npos);
  EXPECT_NE(result.out.find("filter"), std::string::npos);
  EXPECT_NE(result.out.find("sink"), std::string::npos);
}

TEST(CliPlugins, JsonListNamesFiles) {
  const auto result = flowmind({"plugins", "--json"});
  ASSERT_EQ(result.exit_code, 0) << result.err;
  const auto list = nlohmann::json::parse(result.out);
  ASSERT_TRUE(list.is_array());
  bool found = false;
  for (const auto& plugin : list) {
    if (plugin["name"] == "match") {
      found = true;
      EXPECT_EQ(plugin["kind"], "filter");
      EXPECT_NE(plugin["file"].get<std::string>().find("flowmind-match.so"), std::string::npos);
    }
  }
  EXPECT_TRUE(found) << result.out;
}

TEST(CliPlugins, DescribesOnePluginsOptions) {
  const auto text = flowmind({"plugins", "generator"});
  ASSERT_EQ(text.exit_code, 0) << text.err;
  EXPECT_NE(text.out.find("generator (source)"), std::string::npos) << text.out;
  EXPECT_NE(text.out.find("rate"), std::string::npos) << text.out;
  EXPECT_NE(text.out.find("count"), std::string::npos) << text.out;

  const auto json = flowmind({"plugins", "generator", "--json"});
  ASSERT_EQ(json.exit_code, 0) << json.err;
  const auto described = nlohmann::json::parse(json.out);
  EXPECT_EQ(described["name"], "generator");
  EXPECT_EQ(described["kind"], "source");
}

TEST(CliPlugins, UnknownNameSuggestsTheClosest) {
  const auto result = flowmind({"plugins", "matc"});
  EXPECT_EQ(result.exit_code, 1);
  EXPECT_NE(result.err.find("did you mean 'match'"), std::string::npos) << result.err;
}

TEST(CliPlugins, VersionNamesTheSdk) {
  const auto result = flowmind({"--version"});
  EXPECT_EQ(result.exit_code, 0);
  EXPECT_NE(result.out.find("plugin SDK 2."), std::string::npos) << result.out;
}

// The options table of each plugin README is the schema's own rendering (between markers).
TEST(CliPlugins, ReadmeOptionTablesMatchTheSchemas) {
  const std::string begin = "<!-- options:begin -->\n";
  const std::string end = "<!-- options:end -->";
  int checked = 0;
  for (const auto* kind : {"sources", "filters", "sinks"}) {
    const auto folder = source_dir() / "plugins" / kind;
    if (!std::filesystem::exists(folder)) continue;
    for (const auto& entry : std::filesystem::directory_iterator(folder)) {
      const auto readme = entry.path() / "README.md";
      ASSERT_TRUE(std::filesystem::exists(readme)) << "plugin without README: " << entry.path();
      const auto text = read_file(readme);
      const auto from = text.find(begin);
      const auto to = text.find(end);
      ASSERT_NE(from, std::string::npos) << readme;
      ASSERT_NE(to, std::string::npos) << readme;
      const auto table = text.substr(from + begin.size(), to - from - begin.size());
      const auto name = entry.path().filename().string();
      const auto rendered = flowmind({"plugins", name, "--markdown"});
      ASSERT_EQ(rendered.exit_code, 0) << rendered.err;
      EXPECT_EQ(table, rendered.out) << readme << " is out of date: regenerate its table with\n  flowmind plugins "
                                     << name << " --markdown";
      ++checked;
    }
  }
  EXPECT_GE(checked, 3);
}

// Every complete pipeline shown in a document (a ```yaml block with `pipeline:` and `source:`),
// except the ones marked `# deliberately wrong` (examples of error messages).
std::vector<std::string> pipeline_examples(const std::string& markdown) {
  std::vector<std::string> examples;
  const std::string open = "```yaml\n";
  for (auto from = markdown.find(open); from != std::string::npos; from = markdown.find(open, from)) {
    from += open.size();
    const auto to = markdown.find("```", from);
    if (to == std::string::npos) break;
    auto block = markdown.substr(from, to - from);
    const bool complete = block.find("pipeline:") != std::string::npos && block.find("source:") != std::string::npos;
    if (complete && block.find("# deliberately wrong") == std::string::npos) {
      examples.push_back(std::move(block));
    }
    from = to + 3;
  }
  return examples;
}

// The examples users copy must be valid pipelines: `flowmind validate` on each one, run from
// the repository root as the READMEs' relative paths assume.
TEST(CliPlugins, PipelineExamplesInTheDocsValidate) {
  TempDir dir;
  std::vector<std::filesystem::path> documents{source_dir() / "README.md",
                                               source_dir() / "docs" / "pipeline-reference.md"};
  for (const auto* kind : {"sources", "filters", "sinks"}) {
    for (const auto& entry : std::filesystem::directory_iterator(source_dir() / "plugins" / kind)) {
      documents.push_back(entry.path() / "README.md");
    }
  }
  int checked = 0;
  for (const auto& document : documents) {
    if (!std::filesystem::exists(document)) continue;
    const auto examples = pipeline_examples(read_file(document));
    for (std::size_t i = 0; i < examples.size(); ++i) {
      const auto file = dir.write("example-" + std::to_string(checked) + ".yaml", examples[i]);
      const auto result = run_process({"/bin/sh", "-c", "cd \"$0\" && exec \"$1\" validate \"$2\"",
                                       source_dir().string(), flowmind_executable().string(), file.string()},
                                      60s, {{"UW_API_TOKEN", "example-token"}});
      EXPECT_EQ(result.exit_code, 0) << document << ", example " << i + 1 << ":\n"
                                     << examples[i] << result.out << result.err;
      ++checked;
    }
  }
  EXPECT_GE(checked, 10);
}

// The pipelines shipped in pipelines/ (demo, live, examples, recordings, scaleout) are valid as
// shipped, given the variables their docs require (scaleout's relay needs its own RELAY_NAME).
TEST(CliPlugins, ShippedPipelinesValidate) {
  int folders = 0;
  for (const auto& entry : std::filesystem::directory_iterator(source_dir() / "pipelines")) {
    if (!entry.is_directory()) continue;
    const auto result = run_process({"/bin/sh", "-c", "cd \"$0\" && exec \"$1\" validate \"$2\"", source_dir().string(),
                                     flowmind_executable().string(), entry.path().string()},
                                    60s, {{"UW_API_TOKEN", "example-token"}, {"RELAY_NAME", "relay-1"}});
    EXPECT_EQ(result.exit_code, 0) << entry.path() << "\n" << result.out << result.err;
    ++folders;
  }
  EXPECT_GE(folders, 5);
}

}  // namespace
}  // namespace flowmind::testing
