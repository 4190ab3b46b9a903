#!/usr/bin/env bash
# Soak test: mixed load against the packaged broker (target/quarkus-app/quarkus-run.jar) for DURATION seconds
# (default 1800): QoS 0, 1 and 2 publishers and subscribers (the load generator's throughput scenario, over and
# over), retained messages written and read back, and persistent sessions that connect, leave, get messages
# queued while away and collect them on their return. Every 10 s the broker's live heap (after a full GC asked
# for by jcmd) and RSS go to a CSV; at the end every QoS 1/2 message acknowledged to its publisher must have
# reached its subscriber, and SoakVerdict judges heap and RSS flat or not. Exit status 0 on PASS.
# Loopback only; every loop ends with the duration, every client run is bounded in count and time.
set -euo pipefail
cd "$(dirname "$0")/.."

DURATION=${DURATION:-1800}
SAMPLE_EVERY=10
SESSIONS=${SESSIONS:-5}

OUT_NAME=soak
source bench/lib.sh
SAMPLES=bench/target/soak-$(date +%Y%m%dT%H%M%S).csv
LOAD_PIDS=()
cleanup() {
    for pid in ${LOAD_PIDS[@]+"${LOAD_PIDS[@]}"}; do kill "$pid" 2>/dev/null || true; done
    [ -n "$BROKER_PID" ] && kill "$BROKER_PID" 2>/dev/null
    rm -rf "$WORK"
}
trap cleanup EXIT

PORT=$(free_port)
java -Dmidge.mqtt.host=127.0.0.1 -Dmidge.mqtt.port="$PORT" -Dquarkus.http.port=0 -Dquarkus.log.level=WARN \
    -Dmidge.persistence.dir="$WORK/data" -jar target/quarkus-app/quarkus-run.jar > "$WORK/midge.log" 2>&1 &
BROKER_PID=$!
wait_for_port "$PORT"
START=$(date +%s)
END=$((START + DURATION))
echo "soak: broker PID $BROKER_PID on port $PORT for ${DURATION}s, samples in $SAMPLES" >&2

# QoS Q publishers to subscribers, run after run; the lost count of QoS 1/2 runs goes to lost-qQ. A run that
# fails counts as a loss too (it might hide one), and the next one waits a second.
qos_load() { # Q
    while [ "$(date +%s)" -lt "$END" ]; do
        line=$(java -jar bench/target/midge-bench.jar throughput --port "$PORT" --qos "$1" --publishers 2 --subscribers 2 --topics 4 \
            --messages 2000 --window 50 --deadline 60 --label soak) \
            || { echo "run-failed" >> "$WORK/lost-q$1"; sleep 1; continue; }
        [ "$1" = 0 ] || { echo "$line" | grep -o '"lost":[0-9]*' | cut -d: -f2 >> "$WORK/lost-q$1" || true; }
    done
}

# 200 retained topics rewritten in turn; every 50 writes a subscriber reads them all back.
retained_load() {
    local i=0
    while [ "$(date +%s)" -lt "$END" ]; do
        mosquitto_pub -h 127.0.0.1 -p "$PORT" -r -q 1 -t "soak/retained/$((i % 200))" -m "value $i" || true
        if [ $((i % 50)) = 0 ]; then
            timeout 20 mosquitto_sub -h 127.0.0.1 -p "$PORT" -t 'soak/retained/#' -C 200 -W 10 > /dev/null 2>&1 || true
        fi
        i=$((i + 1))
        sleep 0.1
    done
}

# Persistent session K: messages published while it is away, collected when it comes back.
session_load() { # K
    local k=$1 n=0 sub=(mosquitto_sub -h 127.0.0.1 -p "$PORT" -c -i "soak-persist-$k" -q 1 -t "soak/persist/$k")
    # The session and its subscription must exist before anything is sent to it: -E leaves once subscribed.
    timeout 30 "${sub[@]}" -E > /dev/null 2>&1 || true
    # mosquitto_sub says "Timed out" when -W ends a visit below, which is the point there.
    while [ "$(date +%s)" -lt "$END" ]; do
        local batch
        batch=$(seq "$n" $((n + 9)) | sed "s/^/$k-/")
        if echo "$batch" | timeout 20 mosquitto_pub -h 127.0.0.1 -p "$PORT" -q 1 -t "soak/persist/$k" -l; then
            echo "$batch" >> "$WORK/persist-sent"
        fi
        n=$((n + 10))
        timeout 20 "${sub[@]}" -W 2 >> "$WORK/persist-received" 2>/dev/null || true
    done
    # Collects what was queued after its last visit.
    timeout 20 "${sub[@]}" -W 3 >> "$WORK/persist-received" 2>/dev/null || true
}

for q in 0 1 2; do qos_load "$q" & LOAD_PIDS+=($!); done
retained_load & LOAD_PIDS+=($!)
for k in $(seq 1 "$SESSIONS"); do session_load "$k" & LOAD_PIDS+=($!); done

# One attach per sample: a full GC, then the heap it left. On a busy machine an attach takes seconds, so samples
# keep to a schedule rather than sleeping 10 s after each.
printf 'GC.run\nGC.heap_info\n' > "$WORK/jcmd"
echo "seconds,heap_kib,rss_kib" > "$SAMPLES"
n=0
while [ "$(date +%s)" -lt "$END" ]; do
    heap=$(timeout 30 jcmd "$BROKER_PID" -f "$WORK/jcmd" 2>/dev/null \
        | awk '/total/ && /used/ { for (i = 1; i < NF; i++) if ($i == "used") { sub(/K.*/, "", $(i+1)); s += $(i+1) } } END { print s }')
    rss=$(awk '/^VmRSS:/ { print $2 }' "/proc/$BROKER_PID/status")
    echo "$(($(date +%s) - START)),$heap,$rss" >> "$SAMPLES"
    n=$((n + 1))
    wait_s=$((START + n * SAMPLE_EVERY - $(date +%s)))
    [ "$wait_s" -le 0 ] || sleep "$wait_s"
done
for pid in "${LOAD_PIDS[@]}"; do wait "$pid" || true; done
LOAD_PIDS=()

runs_failed=$(cat "$WORK"/lost-q1 "$WORK"/lost-q2 2>/dev/null | grep -c run-failed || true)
bench_lost=$(cat "$WORK"/lost-q1 "$WORK"/lost-q2 2>/dev/null | grep -v run-failed | awk '{ s += $1 } END { print s + 0 }')
touch "$WORK/persist-sent" "$WORK/persist-received"
comm -23 <(sort -u "$WORK/persist-sent") <(sort -u "$WORK/persist-received") > "${SAMPLES%.csv}-lost.txt"
persist_lost=$(wc -l < "${SAMPLES%.csv}-lost.txt")
runs=$(cat "$WORK"/lost-q1 "$WORK"/lost-q2 2>/dev/null | wc -l)
echo "soak: $runs QoS 1/2 generator runs ($runs_failed failed), $bench_lost of their messages lost;" \
    "$(sort -u "$WORK/persist-sent" | wc -l) messages to persistent sessions, $persist_lost lost" >&2
cp "$WORK/midge.log" "${SAMPLES%.csv}.log"
java -cp bench/target/midge-bench.jar dev.midge.bench.SoakVerdict "$SAMPLES" $((bench_lost + persist_lost + runs_failed))
