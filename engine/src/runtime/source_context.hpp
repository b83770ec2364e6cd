// The SourceContext handed to Source::run(): stage context plus the pipeline's input queue.
#pragma once

#include <chrono>
#include <string>
#include <utility>

#include "runtime/input_channel.hpp"
#include "runtime/stage_context.hpp"

namespace flowmind {

class SourceContextImpl final : public BasicStageContext<SourceContext> {
 public:
  SourceContextImpl(std::string pipeline, StageMetrics& metrics, boost::asio::io_context& io, InputChannel& input)
      : BasicStageContext<SourceContext>(std::move(pipeline), "source", metrics, io), input_(input) {}

  bool emit(Event event) override { return input_.emit(std::move(event)); }
  EmitResult try_emit(Event& event) override { return input_.try_emit(event); }
  [[nodiscard]] bool stopping() const override { return input_.stopping(); }
  bool wait_for_stop(std::chrono::nanoseconds timeout) override { return input_.wait_for_stop(timeout); }

 private:
  InputChannel& input_;
};

}  // namespace flowmind
