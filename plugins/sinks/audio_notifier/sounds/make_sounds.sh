#!/usr/bin/env bash
# Regenerates the bundled alert sounds with sox (16 kHz mono 16-bit WAV, well under a second each).
set -euo pipefail
cd "$(dirname "$0")"
fmt=(-r 16000 -c 1 -b 16)
# whale: a low two-note horn
sox -n "${fmt[@]}" whale.wav synth 0.35 sine 196 synth 0.35 sine mix 98 fade q 0.02 0.35 0.08 \
    : synth 0.45 sine 147 synth 0.45 sine mix 73.5 fade q 0.02 0.45 0.15 vol 0.8
# sweep: a fast rising chirp
sox -n "${fmt[@]}" sweep.wav synth 0.3 sine 500-1800 fade q 0.01 0.3 0.05 vol 0.7
# dark_pool: two soft low pulses
sox -n "${fmt[@]}" dark_pool.wav synth 0.15 sine 330 fade q 0.01 0.15 0.05 pad 0 0.08 \
    : synth 0.2 sine 262 fade q 0.01 0.2 0.08 vol 0.7
# flow: a double beep
sox -n "${fmt[@]}" flow.wav synth 0.1 sine 988 fade q 0.005 0.1 0.03 pad 0 0.06 \
    : synth 0.1 sine 988 fade q 0.005 0.1 0.03 vol 0.6
# price: one short blip
sox -n "${fmt[@]}" price.wav synth 0.12 sine 1319 fade q 0.005 0.12 0.05 vol 0.5
# alert: the default beep
sox -n "${fmt[@]}" alert.wav synth 0.25 sine 880 fade q 0.01 0.25 0.08 vol 0.6
ls -l ./*.wav
