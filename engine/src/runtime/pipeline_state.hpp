// The life cycle states of a pipeline, as shown in status and used by wait() and /ready.
#pragma once

namespace flowmind {

enum class PipelineState { starting, running, restarting, draining, finished, failed, stopped };

inline const char* to_string(PipelineState state) {
  switch (state) {
    case PipelineState::starting: return "starting";
    case PipelineState::running: return "running";
    case PipelineState::restarting: return "restarting";
    case PipelineState::draining: return "draining";
    case PipelineState::finished: return "finished";
    case PipelineState::failed: return "failed";
    case PipelineState::stopped: return "stopped";
  }
  return "?";
}

// Terminal states never change again.
inline bool is_terminal(PipelineState state) {
  return state == PipelineState::finished || state == PipelineState::failed || state == PipelineState::stopped;
}

}  // namespace flowmind
