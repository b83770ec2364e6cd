#!/usr/bin/env python3
"""Writes the sample UW session shipped in pipelines/recordings/ (file_writer's JSONL envelope, gzip).

The payloads follow the shapes of the UW samples (shared/fixtures/uw, shared/UW_PROTOCOL.md):
flow-alerts, off_lit_trades (dark-pool prints) and price:TICKER, with consistent prices, times and
cumulative volumes. Seeded: the same arguments always give the same bytes.

    python3 tools/recording/make_sample_recording.py [--minutes 4] [--seed 7] [--out FILE]
"""

import argparse
import datetime as dt
import gzip
import json
import math
import os
import random
import uuid

TICKERS = {  # reference price, strike step, share volume at the session start
    "SPY": (562.8, 1, 31_000_000),
    "QQQ": (476.4, 1, 17_500_000),
    "NVDA": (116.2, 1, 98_000_000),
    "AAPL": (220.9, 2.5, 21_000_000),
    "TSLA": (227.5, 2.5, 38_000_000),
    "AMD": (151.1, 1, 14_000_000),
    "MSFT": (436.0, 2.5, 6_800_000),
    "META": (536.7, 5, 4_100_000),
    "IWM": (219.3, 1, 11_000_000),
    "DIA": (415.98, 1, 1_300_000),
}
PRICE_TICKERS = ["SPY", "QQQ", "NVDA", "AAPL", "TSLA"]
RULES = [
    "RepeatedHits",
    "RepeatedHitsAscendingFill",
    "RepeatedHitsDescendingFill",
    "FloorTradeLargeCap",
    "FloorTradeMidCap",
    "SweepsFollowedByFloor",
    "OtmEarningsFloor",
    "LowHistoricVolumeFloor",
]
EXCHANGES = ["XCBO", "MPRL", "XPHO", "ARCO", "XISX", "GMNI", "BATO", "EDGO", "XBOX", "AMXO"]
CONDITIONS = ["auto", "slan", "mlet", "isoi", "mlat"]
MARKET_CENTERS = ["L", "D", "N", "T"]
START = dt.datetime(2024, 9, 18, 14, 30, 0, tzinfo=dt.timezone.utc)


def epoch_ms(moment):
    return int(round(moment.timestamp() * 1000))


def iso_ms(moment):
    return moment.strftime("%Y-%m-%dT%H:%M:%S.") + f"{moment.microsecond // 1000:03d}Z"


def decimal_text(value, decimals):
    text = f"{value:.{decimals}f}".rstrip("0").rstrip(".")
    return text or "0"


def compact(payload):
    return json.dumps(payload, separators=(",", ":"), ensure_ascii=False)


def envelope(channel, received, payload):
    # Exactly Event::wire(): {"channel":..,"timestamp":..,"data":<raw payload>}
    return '{"channel":%s,"timestamp":"%s","data":%s}' % (json.dumps(channel), iso_ms(received), compact(payload))


class Market:
    def __init__(self, rng):
        self.rng = rng
        self.price = {t: p for t, (p, _, _) in TICKERS.items()}
        self.volume = {t: v for t, (_, _, v) in TICKERS.items()}

    def step(self, ticker, seconds=1.0):
        sigma = 0.00025 * math.sqrt(seconds)
        self.price[ticker] *= math.exp(self.rng.gauss(0, sigma))
        self.volume[ticker] += int(self.rng.lognormvariate(math.log(25_000), 0.8) * seconds)
        return self.price[ticker]


def uuid4(rng):
    return str(uuid.UUID(int=rng.getrandbits(128), version=4))


def occ(ticker, expiry, call, strike):
    return f"{ticker.replace('.', '')}{expiry.strftime('%y%m%d')}{'C' if call else 'P'}{int(round(strike * 1000)):08d}"


def flow_alert(rng, market, ticker, executed):
    underlying = market.step(ticker, 0)
    _, step, _ = TICKERS[ticker]
    call = rng.random() < 0.55
    moneyness = rng.choice([-3, -2, -1, 0, 1, 2, 3, 5, 8])
    strike = round(underlying / step) * step + (moneyness if call else -moneyness) * step
    weeks = rng.choice([0, 0, 1, 1, 2, 4, 8, 13])
    friday = START.date() + dt.timedelta(days=(4 - START.weekday()) % 7 + 7 * weeks)
    intrinsic = max(0.0, (underlying - strike) if call else (strike - underlying))
    option_price = round(intrinsic + underlying * 0.004 * (1 + weeks) ** 0.5 * rng.uniform(0.5, 1.6), 2)
    option_price = max(option_price, 0.05)
    whale = rng.random() < 0.12
    size = int(rng.lognormvariate(math.log(3000 if whale else 120), 0.9)) + 1
    premium = int(round(option_price * size * 100))
    ask_share = rng.choice([1.0, 0.95, 0.85, 0.6, 0.4, 0.1, 0.0])
    ask_prem = int(round(premium * ask_share))
    trade_count = min(max(1, int(rng.lognormvariate(math.log(6), 0.7))), 40)
    start_ms = epoch_ms(executed) - rng.randint(20, 900)
    volume = size + rng.randint(0, 4 * size)
    open_interest = rng.randint(0, 40_000)
    sweep = rng.random() < 0.3
    spread = max(0.01, round(option_price * 0.02, 2))
    ask_vol = int(volume * ask_share)
    bid_vol = volume - ask_vol - (mid := rng.randint(0, volume // 10))
    return {
        "rule_id": uuid4(rng),
        "rule_name": "RepeatedHits" if sweep and rng.random() < 0.5 else rng.choice(RULES),
        "ticker": ticker,
        "option_chain": occ(ticker, friday, call, strike),
        "underlying_price": round(underlying, 3),
        "volume": volume,
        "total_size": size,
        "total_premium": premium,
        "total_ask_side_prem": ask_prem,
        "total_bid_side_prem": premium - ask_prem,
        "start_time": start_ms,
        "end_time": epoch_ms(executed),
        "url": "",
        "price": option_price,
        "has_multileg": rng.random() < 0.08,
        "has_sweep": sweep,
        "has_floor": not sweep and rng.random() < 0.15,
        "open_interest": open_interest,
        "all_opening_trades": rng.random() < 0.2,
        "id": uuid4(rng),
        "has_singleleg": True,
        "volume_oi_ratio": round(volume / open_interest, 4) if open_interest else 0,
        "trade_ids": [uuid4(rng) for _ in range(min(trade_count, 10))],
        "trade_count": trade_count,
        "expiry_count": 1,
        "executed_at": epoch_ms(executed),
        "ask_vol": ask_vol,
        "bid_vol": max(bid_vol, 0),
        "no_side_vol": 0,
        "mid_vol": mid,
        "multi_vol": 0,
        "stock_multi_vol": 0,
        "upstream_condition_details": rng.sample(CONDITIONS, rng.randint(1, 2)),
        "exchanges": rng.sample(EXCHANGES, min(len(EXCHANGES), 1 + trade_count // 3)),
        "bid": decimal_text(option_price - spread, 2),
        "ask": decimal_text(option_price, 2),
    }


def dark_pool_print(rng, market, ticker, executed):
    price = market.step(ticker, 0)
    block = rng.random() < 0.06
    size = int(rng.lognormvariate(math.log(40_000 if block else 400), 1.0)) + 1
    trade_price = round(price * (1 + rng.gauss(0, 0.0002)), 4)
    market.volume[ticker] += size
    bid = round(trade_price - 0.01, 2)
    return {
        "canceled": False,
        "executed_at": executed.strftime("%Y-%m-%dT%H:%M:%SZ"),
        "ext_hour_sold_codes": None,
        "market_center": rng.choice(MARKET_CENTERS),
        "nbbo_ask": decimal_text(bid + 0.02, 2),
        "nbbo_ask_quantity": rng.randint(1, 300) * 100,
        "nbbo_bid": decimal_text(bid, 2),
        "nbbo_bid_quantity": rng.randint(1, 300) * 100,
        "premium": decimal_text(trade_price * size, 2),
        "price": decimal_text(trade_price, 4),
        "sale_cond_codes": rng.choice([None, None, "average_price_trade", "contingent_trade"]),
        "size": size,
        "ticker": ticker,
        "tracking_id": rng.randint(10**13, 10**14 - 1),
        "trade_code": None,
        "trade_settlement": "regular_settlement",
        "volume": market.volume[ticker],
    }


def session(minutes, seed):
    rng = random.Random(seed)
    market = Market(rng)
    end = START + dt.timedelta(minutes=minutes)

    # First when each event happens, then the payloads in time order, so that prices, volumes
    # and times agree across channels.
    schedule = []  # (happened, order, channel kind, ticker)
    moment = START
    while moment < end:  # prices: one update per ticker and second, at a jittered offset
        for ticker in PRICE_TICKERS:
            schedule.append((moment + dt.timedelta(milliseconds=rng.randint(0, 999)), len(schedule), "price", ticker))
        moment += dt.timedelta(seconds=1)
    weights = [6, 4, 6, 3, 5, 2, 2, 2, 1, 1]
    for kind, per_second in (("flow", 1 / 3.0), ("dark", 1.5)):  # about every 3 s / 1.5 per second
        moment = START
        while True:
            moment += dt.timedelta(seconds=rng.expovariate(per_second))
            if moment >= end:
                break
            schedule.append((moment, len(schedule), kind, rng.choices(list(TICKERS), weights)[0]))
    schedule.sort()

    lines = []  # (received, order, text)
    last_price = {}
    for happened, _, kind, ticker in schedule:
        if kind == "price":
            seconds = (happened - last_price.get(ticker, happened)).total_seconds() or 1.0
            last_price[ticker] = happened
            market.step(ticker, seconds)
            channel, payload = "price:" + ticker, {
                "close": decimal_text(market.price[ticker], 2),
                "time": epoch_ms(happened),
                "vol": market.volume[ticker],
            }
        elif kind == "flow":
            channel, payload = "flow-alerts", flow_alert(rng, market, ticker, happened)
        else:  # dark-pool prints carry whole-second times, as UW sends them
            channel, payload = "off_lit_trades", dark_pool_print(rng, market, ticker, happened.replace(microsecond=0))
        received = happened + dt.timedelta(milliseconds=rng.randint(40, 350))
        lines.append((received, len(lines), envelope(channel, received, payload)))
    lines.sort()
    return [text for _, _, text in lines]


def main():
    here = os.path.dirname(os.path.abspath(__file__))
    default_out = os.path.join(here, "..", "..", "pipelines", "recordings", "uw-sample-session.jsonl.gz")
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--minutes", type=int, default=4)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--out", default=default_out)
    args = parser.parse_args()
    lines = session(args.minutes, args.seed)
    data = ("\n".join(lines) + "\n").encode()
    # mtime=0 and no file name in the header: the output depends on the arguments only.
    with open(args.out, "wb") as raw, gzip.GzipFile(filename="", fileobj=raw, mode="wb", compresslevel=9, mtime=0) as out:
        out.write(data)
    print(f"{os.path.normpath(args.out)}: {len(lines)} events, {len(data)} bytes before gzip")


if __name__ == "__main__":
    main()
