#!/usr/bin/env bash
# QoS 1 throughput to subscribers with persistent sessions, so every message is stored: Midge with
# midge.persistence.sync=always, interval and with persistence off, and Mosquitto with and without its
# persistence (a snapshot every autosave_interval) for reference. Same pinning and repetitions as compare.sh.
set -euo pipefail
cd "$(dirname "$0")/.."

REPS=${REPS:-3}
QUICK=${QUICK:-0}
BROKER_CORE=${BROKER_CORE:-0}
LOAD_CORE=${LOAD_CORE:-1}
if [ "$QUICK" = 1 ]; then N=5000; else N=25000; fi
BROKERS=${BROKERS:-"midge-always midge-interval midge-off mosquitto-persist mosquitto"}
OUT_NAME=persistence
source bench/lib.sh

run_case "qos1 4x4x4 64B persistent subscribers" msgs_per_sec,broker_cpu_us_per_msg,lost \
    throughput --qos 1 --messages "$N" --persistent-sessions
run_case "qos1 1x1x1 64B persistent subscriber" msgs_per_sec,broker_cpu_us_per_msg,lost \
    throughput --qos 1 --publishers 1 --subscribers 1 --topics 1 --messages "$N" --persistent-sessions

echo "results: $OUT" >&2
java -cp bench/target/midge-bench.jar dev.midge.bench.Bench summarize "$OUT"
