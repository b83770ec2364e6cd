// The StageContext handed to filters and sinks (and the common part of the source's context).
#pragma once

#include <string>
#include <utility>

#include "flowmind/context.hpp"
#include "log/logging.hpp"
#include "runtime/stage_metrics.hpp"

namespace flowmind {

// Shared by StageContext and SourceContext implementations: a template because SourceContext
// derives from StageContext and both need the same answers.
template <typename Interface>
class BasicStageContext : public Interface {
 public:
  BasicStageContext(std::string pipeline, std::string stage, StageMetrics& metrics, boost::asio::io_context& io)
      : pipeline_(std::move(pipeline)),
        stage_(std::move(stage)),
        logger_(pipeline_ + "/" + stage_),
        metrics_(metrics),
        io_(io) {}

  [[nodiscard]] const std::string& pipeline_name() const override { return pipeline_; }
  [[nodiscard]] const std::string& stage_name() const override { return stage_; }
  Logger& log() override { return logger_; }
  Counter& counter(const std::string& name) override { return metrics_.custom(name); }
  boost::asio::io_context& io_context() override { return io_; }

 private:
  std::string pipeline_;
  std::string stage_;
  StageLogger logger_;
  StageMetrics& metrics_;
  boost::asio::io_context& io_;
};

using StageContextImpl = BasicStageContext<StageContext>;

}  // namespace flowmind
