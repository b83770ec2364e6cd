#!/usr/bin/python3
"""Relay fan-out benchmark: turns the harness's JSON lines (one per rate step) into the markdown tables of
docs/perf.md: every run's first step (the base rate), then the saturation ramps step by step."""
import json
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
