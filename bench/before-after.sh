#!/usr/bin/env bash
# Before/after a change to the message path: the build in BASE_APP (a quarkus-app directory built from the
# earlier commit) against the current one, alternating, same pinning and repetitions as compare.sh.
#   git worktree add /tmp/midge-base HEAD~1 && (cd /tmp/midge-base && ./mvnw -B -q package -DskipTests)
#   BASE_APP=/tmp/midge-base/target/quarkus-app bench/before-after.sh
set -euo pipefail
cd "$(dirname "$0")/.."

: "${BASE_APP:?set BASE_APP to the quarkus-app directory of the build to compare against}"
REPS=${REPS:-3}
QUICK=${QUICK:-0}
BROKER_CORE=${BROKER_CORE:-0}
LOAD_CORE=${LOAD_CORE:-1}
if [ "$QUICK" = 1 ]; then N=5000; FAN=100; LAT=1000; else N=50000; FAN=500; LAT=5000; fi
BROKERS="midge midge-base"
OUT_NAME=before-after
source bench/lib.sh

run_case "throughput qos0 4x4x4 64B" msgs_per_sec,broker_cpu_us_per_msg,lost throughput --qos 0 --messages "$N"
run_case "throughput qos1 4x4x4 64B" msgs_per_sec,broker_cpu_us_per_msg,lost throughput --qos 1 --messages "$N"
run_case "throughput qos2 4x4x4 64B" msgs_per_sec,broker_cpu_us_per_msg,lost throughput --qos 2 --messages "$N"
run_case "fanout 1->1000 qos0" msgs_per_sec,broker_cpu_us_per_msg,lost fanout --publishers 1 --subscribers 1000 --topics 1 --messages "$FAN"
run_case "latency 1000/s qos1" p50_us,p99_us,p999_us latency --qos 1 --messages "$LAT"

echo "results: $OUT" >&2
java -cp bench/target/midge-bench.jar dev.midge.bench.Bench summarize "$OUT"
