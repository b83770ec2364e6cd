#!/usr/bin/env python3
"""Python baseline of the benchmark chain: flow alert -> normalize -> sentiment -> sweep -> whale -> envelope.

Written the way a Python user would: json.loads each line, read the fields tolerantly (numbers
or numeric strings, "" = missing), derive option kind, strike and expiry from the OCC symbol and
the side from ask- vs bid-side premium, then json.dumps the envelope a sink writes
({"channel", "timestamp", "data", "annotations"}). Same input file and same work as
flowmind_bench_chain. Usage: chain_python.py INPUT.jsonl [PASSES]
"""
import json
import sys
import time
from datetime import datetime, timezone

DOMINANCE = 1.5
OPTIONS_MIN_VALUE = 250000.0


def number(value):
    """A finite non-negative number from a JSON number or numeric string; None when missing/unreadable."""
    if value is None or value == "" or isinstance(value, bool):
        return None
    try:
        result = float(value)
    except (TypeError, ValueError):
        return None
    if result != result or result in (float("inf"), float("-inf")) or result < 0:
        return None
    return result


def parse_occ(symbol):
    """(root, expiry YYYY-MM-DD, 'call'/'put', strike) or None."""
    if not isinstance(symbol, str) or len(symbol) < 16 or len(symbol) > 21:
        return None
    root, tail = symbol[:-15].rstrip(), symbol[-15:]
    kind = {"C": "call", "P": "put"}.get(tail[6])
    if not root or kind is None or not tail[:6].isdigit() or not tail[7:].isdigit():
        return None
    return root, "20%s-%s-%s" % (tail[0:2], tail[2:4], tail[4:6]), kind, int(tail[7:]) / 1000.0


def side_from(ask, bid, ratio):
    if ask is None or bid is None:
        return "unknown"
    if ask > bid and ask >= ratio * bid:
        return "buy"
    if bid > ask and bid >= ratio * ask:
        return "sell"
    return "unknown"


def process(line):
    payload = json.loads(line)
    annotations = {}
    # uw_normalize
    symbol = payload.get("ticker") or payload.get("underlying_symbol") or payload.get("symbol")
    if isinstance(symbol, str) and symbol:
        annotations["symbol"] = symbol.upper()
    occ = parse_occ(payload.get("option_chain") or payload.get("option_symbol"))
    if occ:
        annotations["option_kind"] = occ[2]
        annotations["strike"] = occ[3]
        annotations["expiry"] = occ[1]
    ask = number(payload.get("total_ask_side_prem"))
    bid = number(payload.get("total_bid_side_prem"))
    size = number(payload.get("size", payload.get("total_size")))
    price = number(payload.get("price"))
    premium = number(payload.get("premium", payload.get("total_premium")))
    if premium is None and price is not None and size is not None:
        premium = price * size * 100
        annotations["premium_computed"] = True
    side = side_from(ask, bid, 1.0)
    if side != "unknown" or size is not None or premium is not None:
        annotations["side"] = side
    if size is not None:
        annotations["size"] = size
    if price is not None:
        annotations["price"] = price
    if premium is not None:
        annotations["premium"] = premium
    executed = payload.get("executed_at")
    if isinstance(executed, (int, float)) and not isinstance(executed, bool):
        annotations["executed_at"] = int(executed)
    # sentiment
    kind = occ[2] if occ else None
    side = side_from(ask, bid, DOMINANCE)
    if side == "unknown" or kind is None:
        annotations["sentiment"] = "neutral"
    else:
        annotations["sentiment"] = "bullish" if (side == "buy") == (kind == "call") else "bearish"
    # sweep
    has_sweep = payload.get("has_sweep")
    if isinstance(has_sweep, bool):
        annotations["sweep"] = has_sweep
    # whale (options threshold)
    if premium is not None:
        annotations["whale"] = premium >= OPTIONS_MIN_VALUE
        if premium >= OPTIONS_MIN_VALUE:
            annotations["whale_value"] = premium
    # the envelope a sink writes
    now = datetime.now(timezone.utc)
    envelope = {
        "channel": "flow-alerts",
        "timestamp": now.strftime("%Y-%m-%dT%H:%M:%S.") + "%03dZ" % (now.microsecond // 1000),
        "data": payload,
        "annotations": annotations,
    }
    return json.dumps(envelope, separators=(",", ":"))


def main():
    path = sys.argv[1]
    passes = int(sys.argv[2]) if len(sys.argv) > 2 else 5
    with open(path, encoding="utf-8") as handle:
        lines = [line.rstrip("\n") for line in handle if line.strip()]
    in_bytes = sum(len(line.encode("utf-8")) for line in lines)
    best = float("inf")
    out_bytes = 0
    for _ in range(passes):
        start = time.perf_counter()
        out_bytes = 0
        for line in lines:
            out_bytes += len(process(line))
        best = min(best, time.perf_counter() - start)
    print("python %s: %d events x %d passes, best pass %.4f s: %.0f events/s, %.1f MB/s in, %.1f bytes out/event"
          % (sys.version.split()[0], len(lines), passes, best, len(lines) / best, in_bytes / best / 1e6,
             out_bytes / len(lines)))


if __name__ == "__main__":
    main()
