#!/usr/bin/env bash
# Tail latency by collector, with the pod's heap settings (bench/lib.sh, midge-pod-*): the image's Serial
# collector, Serial with a 16 MiB young generation (shorter, more frequent young pauses), ZGC (generational
# from JDK 23; on 21 add -XX:+ZGenerational through MIDGE_OPTS) and Shenandoah. JAVA_HOME picks the JDK (default: java on PATH).
# Each broker's GC log is summarized after its run (pause count, mean and longest young pause). Loopback only.
set -euo pipefail
cd "$(dirname "$0")/.."

REPS=${REPS:-2}
QUICK=${QUICK:-0}
BROKER_CORE=${BROKER_CORE:-0}
LOAD_CORE=${LOAD_CORE:-1}
if [ "$QUICK" = 1 ]; then LAT=1000; else LAT=10000; fi
[ -z "${JAVA_HOME:-}" ] || PATH="$JAVA_HOME/bin:$PATH"
OUT_NAME=gc
BROKERS=${BROKERS:-"midge-pod-serial midge-pod-serial-young16m midge-pod-zgc midge-pod-shenandoah"}
source bench/lib.sh
java -version 2>&1 | head -1 >&2

run_case "latency 1000/s qos0" p50_us,p99_us,p999_us,lost latency --qos 0 --messages "$LAT"
run_case "latency 1000/s qos1" p50_us,p99_us,p999_us,lost latency --qos 1 --messages "$LAT"

for log in "$WORK"/gc-*.log; do
    [ -f "$log" ] || continue
    # Serial: "Pause Young (Allocation Failure) 40M->12M(60M) 3.456ms"; ZGC: "Garbage Collection (...)".
    awk -v name="$(basename "$log" .log)" '/Pause/ { n++; ms = $NF; sub("ms", "", ms); ms += 0; sum += ms; if (ms > max) max = ms }
        END { printf "%s: %d pauses, mean %.2f ms, longest %.2f ms\n", name, n, (n ? sum / n : 0), max }' "$log" >&2
done
echo "results: $OUT" >&2
java -cp bench/target/midge-bench.jar dev.midge.bench.Bench summarize "$OUT"
