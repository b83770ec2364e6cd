// The benchmark chain, configured as a user would for options flow.
#include "flow_chain.hpp"

namespace flowmind::bench {

FlowChain::FlowChain()
    : normalize_(config_of(uw_normalize_defaults())),
      sentiment_(config_of(sentiment_defaults())),
      sweep_(config_of(sweep_defaults())),
      whale_(config_of(whale_defaults(), {{"options_min_value", 250000}})) {
  normalize_.start(ctx_);
  sentiment_.start(ctx_);
  sweep_.start(ctx_);
  whale_.start(ctx_);
}

std::size_t FlowChain::run(const std::string& payload, bool full_dom) {
  Event event("flow-alerts", payload);
  if (full_dom) (void)event.payload();
  if (normalize_.process(event, out_) == Filter::Verdict::drop) return 0;
  if (sentiment_.process(event, out_) == Filter::Verdict::drop) return 0;
  if (sweep_.process(event, out_) == Filter::Verdict::drop) return 0;
  if (whale_.process(event, out_) == Filter::Verdict::drop) return 0;
  return event.wire().size();
}

}  // namespace flowmind::bench
