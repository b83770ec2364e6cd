// The end-to-end benchmark chain: flow alert -> uw_normalize -> sentiment -> sweep -> whale -> wire text.
#pragma once

#include <cstddef>
#include <string>

#include "bench_support.hpp"
#include "sentiment.hpp"
#include "sweep.hpp"
#include "uw_normalize.hpp"
#include "whale.hpp"

namespace flowmind::bench {

class FlowChain {
 public:
  FlowChain();

  // One alert as a source hands it over (the raw text copied into a new event), through the four
  // filters, to the envelope text a sink writes. With `full_dom` the event's nlohmann DOM is
  // built too, as when any plugin in the pipeline calls Event::payload(). Returns the size of
  // the wire text (0 when a filter dropped the event).
  std::size_t run(const std::string& payload, bool full_dom);

  [[nodiscard]] const CountingEmitter& emitted() const { return out_; }

 private:
  BenchContext ctx_;
  CountingEmitter out_;
  UwNormalizeFilter normalize_;
  SentimentFilter sentiment_;
  SweepFilter sweep_;
  WhaleFilter whale_;
};

}  // namespace flowmind::bench
