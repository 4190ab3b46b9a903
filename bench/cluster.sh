#!/usr/bin/env bash
# Cluster benchmark: QoS 1 throughput, latency and broker CPU per delivered message of one node alone, and of
# 2 and 3 nodes on this machine with the publishers on node 1 and the subscribers on node 2, with the cluster's
# backups on (midge.cluster.backups=1) and off (0). Subscribers keep their sessions (persistent), so every
# delivery is a durable session's change; persistence on (sync=always) on every node. All broker processes
# share core $BROKER_CORE; the load generator runs on $LOAD_CORE. CPU is utime + stime of every node over the
# run. Result lines go to bench/target/cluster-*.jsonl and a table to standard output. Loopback only.
# MIDGE_OPTS: more java options for every node (space-separated); CASES: the cases to run (default all).
set -euo pipefail
cd "$(dirname "$0")/.."

BROKER_CORE=${BROKER_CORE:-0}
LOAD_CORE=${LOAD_CORE:-1}
REPS=${REPS:-2}
MESSAGES=${MESSAGES:-40000}
OUT_NAME=cluster
source bench/lib.sh
NODE_PIDS=()
cleanup_nodes() {
    for pid in ${NODE_PIDS[@]+"${NODE_PIDS[@]}"}; do kill "$pid" 2>/dev/null || true; done
    for pid in ${NODE_PIDS[@]+"${NODE_PIDS[@]}"}; do wait "$pid" 2>/dev/null || true; done
    NODE_PIDS=()
}
trap 'cleanup_nodes; rm -rf "$WORK"' EXIT

ticks() { # PID...: utime + stime, in clock ticks
    local total=0 pid
    for pid in "$@"; do
        total=$((total + $(awk '{print $14 + $15}' "/proc/$pid/stat")))
    done
    echo "$total"
}

threads_started() { # PID...: threads the JVMs have started, summed (the engine's async callbacks may start one per task)
    local total=0 pid
    for pid in "$@"; do
        total=$((total + $(jcmd "$pid" PerfCounter.print 2>/dev/null | awk -F= '/^java.threads.started=/ {print $2}')))
    done
    echo "$total"
}

wait_ready() { # HTTP_PORT
    for _ in $(seq 1 600); do
        curl -sf "http://127.0.0.1:$1/q/health/ready" > /dev/null && return 0
        sleep 0.2
    done
    echo "node on HTTP port $1 never became ready" >&2
    cat "$WORK"/node-*.log >&2
    exit 1
}

# Starts N nodes (N=1: clustering off) with BACKUPS; sets MQTT_PORTS.
start_nodes() { # N BACKUPS
    local n=$1 backups=$2 members="" i
    local cluster_ports=() http_ports=()
    MQTT_PORTS=()
    for i in $(seq 1 "$n"); do
        cluster_ports+=("$(free_port)"); http_ports+=("$(free_port)"); MQTT_PORTS+=("$(free_port)")
        members="${members:+$members,}127.0.0.1:${cluster_ports[-1]}"
    done
    for i in $(seq 0 $((n - 1))); do
        local cluster=(-Dmidge.cluster.enabled=false)
        [ "$n" = 1 ] || cluster=(-Dmidge.cluster.enabled=true -Dmidge.cluster.port="${cluster_ports[$i]}"
            -Dmidge.cluster.members="$members" -Dmidge.cluster.backups="$backups")
        rm -rf "$WORK/data-$i"
        taskset -c "$BROKER_CORE" java -Dmidge.mqtt.host=127.0.0.1 -Dmidge.mqtt.port="${MQTT_PORTS[$i]}" \
            -Dquarkus.http.port="${http_ports[$i]}" -Dquarkus.log.level=WARN -Dmidge.persistence.dir="$WORK/data-$i" \
            "${cluster[@]}" ${MIDGE_OPTS:-} -jar target/quarkus-app/quarkus-run.jar > "$WORK/node-$i.log" 2>&1 &
        NODE_PIDS+=($!)
        # The first node forms the cluster alone; the others join it one after the other.
        wait_ready "${http_ports[$i]}"
    done
}

run() { # LABEL N BACKUPS
    local label=$1 n=$2 backups=$3 rep
    for rep in $(seq 1 "$REPS"); do
        start_nodes "$n" "$backups"
        local pub=${MQTT_PORTS[0]} sub=${MQTT_PORTS[$((n > 1 ? 1 : 0))]}
        bench throughput --port "$pub" --subscriber-port "$sub" --qos 1 --messages 20000 --deadline 60 \
            --persistent-sessions > /dev/null
        local before after line threads_before threads_after
        threads_before=$(threads_started "${NODE_PIDS[@]}")
        before=$(ticks "${NODE_PIDS[@]}")
        line=$(bench throughput --port "$pub" --subscriber-port "$sub" --qos 1 --publishers 4 --subscribers 4 \
            --topics 4 --messages "$MESSAGES" --deadline 120 --persistent-sessions --label "$label")
        after=$(ticks "${NODE_PIDS[@]}")
        threads_after=$(threads_started "${NODE_PIDS[@]}")
        local received cpu_us
        received=$(echo "$line" | grep -o '"received":[0-9]*' | cut -d: -f2)
        cpu_us=$(awk -v t=$((after - before)) -v r="$received" -v hz="$(getconf CLK_TCK)" \
            'BEGIN { printf "%.2f", (r > 0 ? t * 1e6 / hz / r : 0) }')
        echo "${line/%\}/,\"nodes\":$n,\"backups\":$backups,\"cpu_us_per_delivery\":$cpu_us,\"threads_started\":$((threads_after - threads_before))\}}" >> "$OUT"
        line=$(bench latency --port "$pub" --subscriber-port "$sub" --qos 1 --rate 1000 --messages 10000 \
            --deadline 60 --label "$label")
        echo "${line/%\}/,\"nodes\":$n,\"backups\":$backups\}}" >> "$OUT"
        echo "$label rep $rep: $(tail -2 "$OUT" | tr '\n' ' ')" >&2
        cleanup_nodes
    done
}

# CASES=name,... runs those alone, e.g. CASES=two-backups-1.
case_wanted() { [ -z "${CASES:-}" ] || [[ ",$CASES," == *",$1,"* ]]; }
case_wanted single && run single 1 0
case_wanted two-backups-1 && run two-backups-1 2 1
case_wanted two-backups-0 && run two-backups-0 2 0
case_wanted three-backups-1 && run three-backups-1 3 1

echo "results: $OUT"
grep -o '"scenario":"[a-z]*","broker":"[a-z0-9-]*"\|"msgs_per_sec":[0-9.]*\|"p50_us":[0-9.]*\|"p99_us":[0-9.]*\|"cpu_us_per_delivery":[0-9.]*\|"threads_started":[0-9]*\|"lost":[0-9]*' "$OUT" \
    | paste -sd' ' | sed 's/"scenario"/\n"scenario"/g'
