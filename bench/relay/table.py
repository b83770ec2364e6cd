#!/usr/bin/python3
"""Relay fan-out benchmark: turns the harness's JSON lines (one per rate step) into the markdown tables of
docs/perf.md: every run's first step (the base rate), then the saturation ramps step by step."""
import json
import statistics
import sys

HEADER = ("| relay | clients | events/s upstream | delivered msgs/s | relay CPU % | relay CPU µs/msg "
          "| msgs/s per relay core | p50 ms | p99 ms | missing | harness CPU % | others CPU % | load |\n"
          "|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|")


def capacity(step):
    # What one fully busy relay core would deliver at this step's cost per message.
    us = step["relay_cpu_us_per_msg"]
    return f"{1e6 / us:,.0f}" if us > 0 else "-"


def row(step):
    return (f"| {step['relay']} | {step['clients']:,} | {step['rate']:g} | {step['delivered_per_s']:,.0f} "
            f"| {step['relay_cpu_pct']:.1f} | **{step['relay_cpu_us_per_msg']:.2f}** "
            f"| {capacity(step)} | {step['p50_ms']:.2f} "
            f"| {step['p99_ms']:.2f} | {step['missing']:,} | {step['harness_cpu_pct']:.0f} "
            f"| {step['others_cpu_pct']:.0f} | {step['load1']:.2f} |")


def medians(fixed):
    """Median (and range) of the repeated base-rate runs of each relay: the figure to compare relays by on a
    VM whose speed drifts, with every ratio taken within this one results file."""
    groups = {}
    for step in fixed:
        groups.setdefault((step["clients"], step["rate"]), {}).setdefault(step["relay"], []).append(step)
    print("\nMedians of the base-rate runs (min-max):\n")
    print("| relay | clients | events/s | runs | relay CPU µs/msg | p99 ms | CPU vs floor | CPU vs Node |")
    print("|---|---:|---:|---:|---:|---:|---:|---:|")
    for (clients, rate), relays in groups.items():
        cpu = {relay: statistics.median(s["relay_cpu_us_per_msg"] for s in runs) for relay, runs in relays.items()}
        for relay, runs in relays.items():
            us = [s["relay_cpu_us_per_msg"] for s in runs]
            p99 = [s["p99_ms"] for s in runs]
            ratio = lambda base: f"{cpu[relay] / cpu[base]:.2f}" if base in cpu else "-"
            print(f"| {relay} | {clients:,} | {rate:g} | {len(runs)} "
                  f"| **{statistics.median(us):.2f}** ({min(us):.2f}-{max(us):.2f}) "
                  f"| {statistics.median(p99):.2f} ({min(p99):.2f}-{max(p99):.2f}) | {ratio('floor')} | {ratio('node')} |")


def main():
    with open(sys.argv[1], encoding="utf-8") as lines:
        steps = [json.loads(line) for line in lines if line.strip().startswith("{")]
    # A run is a sequence of steps of one relay with one client count; `run` in the line separates repeats.
    runs = {}
    for step in steps:
        runs.setdefault((step["relay"], step["clients"], step.get("run", "")), []).append(step)
    fixed = [run[0] for run in runs.values()]
    ramps = {key: run for key, run in runs.items() if len(run) > 1}
    if fixed:
        print("Base rate (each run's first step):\n")
        print(HEADER)
        for step in fixed:
            print(row(step))
        medians(fixed)
    if ramps:
        print("\nSaturation ramps (every step; the run stops once deliveries/s stop growing):\n")
        print(HEADER)
        best = {}
        for (relay, _, _), run in ramps.items():
            for step in run:
                print(row(step))
                if relay not in best or step["delivered_per_s"] > best[relay]:
                    best[relay] = step["delivered_per_s"]
        if "node" in best:
            print("\nBest deliveries/s: " + ", ".join(f"{relay} {value:,.0f} ({value / best['node']:.2f}x Node)"
                                                     for relay, value in best.items()))


if __name__ == "__main__":
    main()
