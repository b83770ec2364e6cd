// The StageContext handed to sinks: stage context plus PipelineControl (demand, reconnect).
#pragma once

#include <cstddef>
#include <string>
#include <utility>

#include "runtime/stage_context.hpp"

namespace flowmind {

class Pipeline;

class SinkContextImpl final : public StageContextImpl, public PipelineControl {
 public:
  SinkContextImpl(std::string pipeline, std::string stage, StageMetrics& metrics, boost::asio::io_context& io,
                  Pipeline& owner, std::size_t sink_index)
      : StageContextImpl(std::move(pipeline), std::move(stage), metrics, io), owner_(owner), sink_index_(sink_index) {}

  void set_demand(std::size_t consumers) override;
  bool request_reconnect() override;
  [[nodiscard]] nlohmann::json source_status() const override;

 private:
  Pipeline& owner_;
  std::size_t sink_index_;
};

}  // namespace flowmind
