#!/usr/bin/env bash
# What midge.limits costs and what it buys, same pinning and repetitions as compare.sh:
# - the message path with a publish rate set on every client (never reached) against none: broker CPU per message;
# - one flooding client among 100 publishers at 20 msg/s each: their latency with no flooder, with the flooder
#   unlimited, and with the flooder held to 500 msg/s by a rule;
# - the memory watermark in an 8 -> 1 fan-in and a 1 -> 10,000 fan-out to slow subscribers: nothing lost, and
#   the broker's peak resident memory.
# Loopback only; every run is bounded in count and time.
set -euo pipefail
cd "$(dirname "$0")/.."

REPS=${REPS:-3}
QUICK=${QUICK:-0}
BROKER_CORE=${BROKER_CORE:-0}
LOAD_CORE=${LOAD_CORE:-1}
if [ "$QUICK" = 1 ]; then N=5000; FLOOD=20; else N=50000; FLOOD=100; fi
OUT_NAME=limits
source bench/lib.sh

BROKERS="midge midge-limits"
run_case "throughput qos0 4x4x4 64B" msgs_per_sec,broker_cpu_us_per_msg,lost throughput --qos 0 --messages "$N"
run_case "throughput qos1 4x4x4 64B" msgs_per_sec,broker_cpu_us_per_msg,lost throughput --qos 1 --messages "$N"

FLOODER=(flooder --qos 1 --publishers 100 --rate 2000 --messages "$FLOOD" --deadline 60)
BROKERS="midge"
run_case "100 publishers, no flooder" p50_us,p99_us,p999_us,lost "${FLOODER[@]}"
BROKERS="midge midge-flood-limited"
run_case "100 publishers and a flooder" p50_us,p99_us,p999_us,lost,flood_per_sec "${FLOODER[@]}" --flood

# The memory watermark: slow subscribers make the sessions hold messages until publishers are paused; nothing
# may be lost, and the broker's resident memory stays bounded.
BROKERS="midge-watermark"
run_case "fanin 8->1 qos1 slow subscriber, watermark" lost,msgs_per_sec,broker_rss_max_mib fanin --qos 1 \
    --publishers 8 --subscribers 1 --topics 1 --messages "$((N / 5))" --payload 1024 --slow-subscriber
run_case "fanout 1->10000 qos1 slow subscribers, watermark" lost,msgs_per_sec,broker_rss_max_mib fanout --qos 1 \
    --publishers 1 --subscribers "$(fd_bounded 10000)" --topics 1 --messages "$((FLOOD * 2))" --payload 1024 \
    --slow-subscriber --deadline 300

echo "results: $OUT" >&2
java -cp bench/target/midge-bench.jar dev.midge.bench.Bench summarize "$OUT"
