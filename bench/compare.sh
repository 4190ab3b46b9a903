#!/usr/bin/env bash
# Runs the same scenarios against Midge and Mosquitto in one run: each broker freshly started per run and pinned
# to core 0, the load generator pinned to core 1, the brokers alternating, REPS repetitions; prints medians and
# the Midge/Mosquitto ratio. QUICK=1 uses small counts. Loopback only; every run is bounded in count and time.
set -euo pipefail
cd "$(dirname "$0")/.."

REPS=${REPS:-3}
QUICK=${QUICK:-0}
BROKER_CORE=${BROKER_CORE:-0}
LOAD_CORE=${LOAD_CORE:-1}
if [ "$QUICK" = 1 ]; then N=5000; FAN=100; LAT=1000; CONNS=1000; FANIN=2000; TLS=200; else N=50000; FAN=500; LAT=5000; CONNS=10000; FANIN=10000; TLS=1000; fi

BROKERS="midge mosquitto"
source bench/lib.sh

run_case "throughput qos0 4x4x4 64B" msgs_per_sec,broker_cpu_us_per_msg,lost throughput --qos 0 --messages "$N"
run_case "throughput qos1 4x4x4 64B" msgs_per_sec,broker_cpu_us_per_msg,lost throughput --qos 1 --messages "$N"
run_case "throughput qos2 4x4x4 64B" msgs_per_sec,broker_cpu_us_per_msg,lost throughput --qos 2 --messages "$N"
run_case "throughput qos1 4x4x4 4KiB" msgs_per_sec,lost throughput --qos 1 --payload 4096 --messages "$((N / 5))"
run_case "fanout 1->1000 qos0" msgs_per_sec,broker_cpu_us_per_msg,lost fanout --publishers 1 --subscribers 1000 --topics 1 --messages "$FAN"
run_case "latency 1000/s qos0" p50_us,p99_us,p999_us latency --qos 0 --messages "$LAT"
run_case "latency 1000/s qos1" p50_us,p99_us,p999_us latency --qos 1 --messages "$LAT"
run_case "fanin 8->1 qos1 slow subscriber" lost,msgs_per_sec fanin --qos 1 --publishers 8 --subscribers 1 --topics 1 --messages "$FANIN" --slow-subscriber
run_case "connections idle" rss_bytes_per_connection,connects_per_sec connections --connections "$CONNS" --threads 1
run_case "idle memory, 1 client" rss_mib idle --settle 5
# From 10,000 to 20,000 idle clients (QUICK: 1,000 to 2,000): what each adds once the broker has settled with many.
# Each connection is a file descriptor in the broker and in the generator: the count stays below the hard limit
# that lib.sh could not raise. Two source addresses give the generator twice the ephemeral ports.
run_case "connections 10k to 20k idle" rss_bytes_per_connection connections --baseline "$CONNS" \
    --connections "$(fd_bounded $((2 * CONNS)))" --settle 5 --source-addresses 2 --threads 1 --deadline 120
run_case "handshakes tls 4 at a time" logins_per_sec,broker_cpu_ms_per_login,failed handshakes --tls --connections "$TLS" --threads 4

echo "results: $OUT" >&2
java -cp bench/target/midge-bench.jar dev.midge.bench.Bench summarize "$OUT"
