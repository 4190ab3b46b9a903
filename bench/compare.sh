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
if [ "$QUICK" = 1 ]; then N=5000; FAN=100; LAT=1000; CONNS=1000; FANIN=2000; else N=50000; FAN=500; LAT=5000; CONNS=10000; FANIN=10000; fi

command -v mosquitto >/dev/null || [ -x /usr/sbin/mosquitto ] || {
    [ "$(id -u)" = 0 ] && apt-get install -y -qq mosquitto >/dev/null || { echo "mosquitto is not installed" >&2; exit 1; }
}
MOSQUITTO=$(command -v mosquitto || echo /usr/sbin/mosquitto)
[ -f target/quarkus-app/quarkus-run.jar ] || ./mvnw -B -q package -DskipTests
[ -f bench/target/midge-bench.jar ] || ./mvnw -B -q -f bench/pom.xml package
ulimit -n 65536 2>/dev/null || true

WORK=$(mktemp -d)
OUT=bench/target/compare-$(date +%Y%m%dT%H%M%S).jsonl
BROKER_PID=""
trap '[ -n "$BROKER_PID" ] && kill "$BROKER_PID" 2>/dev/null; rm -rf "$WORK"' EXIT

free_port() {
    local port
    for _ in $(seq 1 50); do
        # Below the kernel's ephemeral range (32768+), which the load generator's own sockets use.
        port=$((20000 + RANDOM % 12000))
        (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null || { echo "$port"; return; }
    done
    echo "no free port" >&2; exit 1
}

wait_for_port() {
    for _ in $(seq 1 200); do
        (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null && return 0
        sleep 0.05
    done
    echo "broker did not open port $1:" >&2
    cat "$WORK"/*.log >&2
    exit 1
}

start_broker() { # NAME PORT
    if [ "$1" = midge ]; then
        taskset -c "$BROKER_CORE" java -XX:ActiveProcessorCount=1 -Dmidge.mqtt.host=127.0.0.1 -Dmidge.mqtt.port="$2" \
            -Dquarkus.http.port=0 -Dquarkus.log.level=WARN -jar target/quarkus-app/quarkus-run.jar \
            > "$WORK/midge.log" 2>&1 &
    else
        printf 'listener %s 127.0.0.1\nallow_anonymous true\nmax_inflight_messages 20\nmax_queued_messages 1000\npersistence false\n' \
            "$2" > "$WORK/mosquitto.conf"
        taskset -c "$BROKER_CORE" "$MOSQUITTO" -c "$WORK/mosquitto.conf" > "$WORK/mosquitto.log" 2>&1 &
    fi
    BROKER_PID=$!
    wait_for_port "$2"
}

stop_broker() {
    kill -TERM "$BROKER_PID" 2>/dev/null || true
    for _ in $(seq 1 100); do kill -0 "$BROKER_PID" 2>/dev/null || break; sleep 0.05; done
    kill -KILL "$BROKER_PID" 2>/dev/null || true
    wait "$BROKER_PID" 2>/dev/null || true
    BROKER_PID=""
}

bench() {
    taskset -c "$LOAD_CORE" java -jar bench/target/midge-bench.jar "$@"
}

run_case() { # CASE METRICS SCENARIO ARGS...
    local name=$1 metrics=$2; shift 2
    for rep in $(seq 1 "$REPS"); do
        for broker in midge mosquitto; do
            local port line
            port=$(free_port)
            start_broker "$broker" "$port"
            # Warm-up, discarded: the JVM compiles the message path before it is measured.
            bench throughput --port "$port" --qos 1 --messages 5000 --deadline 30 > /dev/null
            line=$(bench "$@" --port "$port" --broker-pid "$BROKER_PID" --label "$broker" --deadline 60)
            stop_broker
            for metric in ${metrics//,/ }; do
                echo "${line/#\{/{\"case\":\"$name\",\"metric\":\"$metric\",\"rep\":$rep,}" >> "$OUT"
            done
            echo "$name [$broker, rep $rep]: $line" >&2
        done
    done
}

run_case "throughput qos0 4x4x4 64B" msgs_per_sec,broker_cpu_us_per_msg,lost throughput --qos 0 --messages "$N"
run_case "throughput qos1 4x4x4 64B" msgs_per_sec,broker_cpu_us_per_msg,lost throughput --qos 1 --messages "$N"
run_case "throughput qos2 4x4x4 64B" msgs_per_sec,broker_cpu_us_per_msg,lost throughput --qos 2 --messages "$N"
run_case "throughput qos1 4x4x4 4KiB" msgs_per_sec,lost throughput --qos 1 --payload 4096 --messages "$((N / 5))"
run_case "fanout 1->1000 qos0" msgs_per_sec,broker_cpu_us_per_msg,lost fanout --publishers 1 --subscribers 1000 --topics 1 --messages "$FAN"
run_case "latency 1000/s qos0" p50_us,p99_us,p999_us latency --qos 0 --messages "$LAT"
run_case "latency 1000/s qos1" p50_us,p99_us,p999_us latency --qos 1 --messages "$LAT"
run_case "fanin 8->1 qos1 slow subscriber" lost,msgs_per_sec fanin --qos 1 --publishers 8 --subscribers 1 --topics 1 --messages "$FANIN" --slow-subscriber
run_case "connections idle" rss_bytes_per_connection,connects_per_sec connections --connections "$CONNS" --threads 1

echo "results: $OUT" >&2
java -cp bench/target/midge-bench.jar dev.midge.bench.Bench summarize "$OUT"
