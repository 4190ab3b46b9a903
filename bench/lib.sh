#!/usr/bin/env bash
# Shared by compare.sh and persistence.sh: builds what is missing, starts and stops brokers pinned to one core,
# runs the load generator pinned to another, and appends each result line to $OUT. Sourced, not run.

command -v mosquitto >/dev/null || [ -x /usr/sbin/mosquitto ] || {
    [ "$(id -u)" = 0 ] && apt-get install -y -qq mosquitto >/dev/null || { echo "mosquitto is not installed" >&2; exit 1; }
}
MOSQUITTO=$(command -v mosquitto || echo /usr/sbin/mosquitto)
[ -f target/quarkus-app/quarkus-run.jar ] || ./mvnw -B -q package -DskipTests
[ -f bench/target/midge-bench.jar ] || ./mvnw -B -q -f bench/pom.xml package
ulimit -n 65536 2>/dev/null || true

# N, or fewer where the hard limit on open files would not let a process hold N sockets and its other files.
fd_bounded() {
    local limit
    limit=$(ulimit -Hn)
    if [ "$limit" != unlimited ] && [ "$1" -gt $((limit - 500)) ]; then
        echo "connections: $1 lowered to $((limit - 500)) by the open-files limit $limit" >&2
        echo $((limit - 500))
    else
        echo "$1"
    fi
}

WORK=$(mktemp -d)
OUT=bench/target/${OUT_NAME:-compare}-$(date +%Y%m%dT%H%M%S).jsonl
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

# Brokers by name: midge (embedded defaults), midge-always / midge-interval / midge-never (persistence with that
# sync mode), midge-limits, midge-flood-limited and midge-watermark (see start_broker), midge-off (persistence disabled),
# midge-base (the build in $BASE_APP, for before/after comparisons of a change), mosquitto (no persistence),
# mosquitto-persist (persistence true). Each start gets an empty store.
# A self-signed certificate for the TLS listener of the handshakes scenario (its client checks none). Readable
# by all: Mosquitto started as root reads it as user mosquitto. A throwaway key for loopback only.
tls_files() {
    [ -f "$WORK/tls.crt" ] || openssl req -x509 -newkey rsa:2048 -nodes -keyout "$WORK/tls.key" -out "$WORK/tls.crt" \
        -days 2 -subj /CN=localhost 2>/dev/null
    chmod 755 "$WORK"
    chmod 644 "$WORK/tls.crt" "$WORK/tls.key"
}

# MIDGE_OPTS: more -D options for Midge (space-separated, no spaces inside a value).
start_broker() { # NAME PORT [TLS_PORT]
    rm -rf "$WORK/data"
    local tls_port=${3:-}
    [ -z "$tls_port" ] || tls_files
    if [[ "$1" == midge* ]]; then
        local store=(-Dmidge.persistence.dir="$WORK/data") app=target/quarkus-app
        [ -z "$tls_port" ] || store+=(-Dmidge.tls.port="$tls_port" -Dmidge.tls.cert-file="$WORK/tls.crt" \
            -Dmidge.tls.key-file="$WORK/tls.key")
        case "$1" in
            midge-off) store=(-Dmidge.persistence.enabled=false) ;;
            midge-base) store=(); app=$BASE_APP ;; # may predate persistence, whose keys it would refuse
            # Limits on every client, set so high that none is ever reached: what checking them costs.
            midge-limits) store+=(-Dmidge.limits.publish-rate=10000000 -Dmidge.limits.publish-bytes-rate=1e12) ;;
            # A small heap, a low memory mark and session queues so long that only the mark stops publishers
            # before the heap runs out: slow subscribers make the sessions hold more than the mark.
            midge-watermark) store+=(-Xmx256m -Dmidge.limits.memory-high=48M -Dmidge.max-queued-messages=1000000) ;;
            # The flooder scenario's flooding client held to 500 messages/s; the others are not limited.
            midge-flood-limited) store+=(-Dmidge.limits.rules[0].client-id-prefix=flooder- \
                -Dmidge.limits.rules[0].publish-rate=500) ;;
            # The image's jvm.options without its collector, in a 512 MiB, one-CPU container's view, then the
            # collector to compare (bench/gc.sh).
            midge-pod-*) store+=(-XX:MaxRAM=512m -XX:MaxRAMPercentage=50 -XX:MinHeapFreeRatio=10 -XX:MaxHeapFreeRatio=20
                -XX:MaxMetaspaceSize=128m -XX:ReservedCodeCacheSize=64m -Xlog:gc:file="$WORK/gc-$1.log")
                case "$1" in
                    midge-pod-serial) store+=(-XX:+UseSerialGC) ;;
                    midge-pod-serial-young16m) store+=(-XX:+UseSerialGC -Xmn16m) ;;
                    midge-pod-zgc) store+=(-XX:+UseZGC) ;;
                    midge-pod-shenandoah) store+=(-XX:+UseShenandoahGC) ;;
                    *) echo "unknown broker $1" >&2; exit 1 ;;
                esac ;;
            midge-*) store+=(-Dmidge.persistence.sync="${1#midge-}") ;;
        esac
        taskset -c "$BROKER_CORE" java -XX:ActiveProcessorCount=1 -Dmidge.mqtt.host=127.0.0.1 -Dmidge.mqtt.port="$2" \
            -Dquarkus.http.port=0 -Dquarkus.log.level=WARN ${store[@]+"${store[@]}"} ${MIDGE_OPTS:-} \
            -jar "$app/quarkus-run.jar" > "$WORK/midge.log" 2>&1 &
    else
        mkdir -p "$WORK/data"
        printf 'listener %s 127.0.0.1\nallow_anonymous true\nmax_inflight_messages 20\nmax_queued_messages 1000\n' \
            "$2" > "$WORK/mosquitto.conf"
        if [ "$1" = mosquitto-persist ]; then
            printf 'persistence true\npersistence_location %s/\n' "$WORK/data" >> "$WORK/mosquitto.conf"
        else
            printf 'persistence false\n' >> "$WORK/mosquitto.conf"
        fi
        [ -z "$tls_port" ] || printf 'listener %s 127.0.0.1\ncertfile %s\nkeyfile %s\n' "$tls_port" "$WORK/tls.crt" \
            "$WORK/tls.key" >> "$WORK/mosquitto.conf"
        taskset -c "$BROKER_CORE" "$MOSQUITTO" -c "$WORK/mosquitto.conf" > "$WORK/mosquitto.log" 2>&1 &
    fi
    BROKER_PID=$!
    wait_for_port "$2"
    [ -z "$tls_port" ] || wait_for_port "$tls_port"
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
    # ONLY=scenario (e.g. ONLY=fanout) runs the cases of that scenario alone.
    [ -z "${ONLY:-}" ] || [ "$ONLY" = "$1" ] || return 0
    for rep in $(seq 1 "$REPS"); do
        for broker in $BROKERS; do
            local port line case_port
            port=$(free_port)
            # The handshakes scenario measures logins over TLS: the case talks to a TLS listener.
            if [ "$1" = handshakes ]; then
                case_port=$(free_port)
                start_broker "$broker" "$port" "$case_port"
            else
                case_port=$port
                start_broker "$broker" "$port"
            fi
            # Warm-up, discarded: the JVM compiles the message path, then the case's own path, before it is
            # measured (one run of the case reached about half of the steady fan-out rate). Same for every broker.
            # Not for idle: it measures the broker as it starts, before any work.
            [ "$1" = idle ] || bench throughput --port "$port" --qos 1 --messages 20000 --deadline 30 > /dev/null
            # Not for connections: its memory figure is the growth from a broker that has held none yet.
            [ "$1" = connections ] || [ "$1" = idle ] || bench "$@" --port "$case_port" --deadline 60 > /dev/null
            # A case's own --deadline, after the default one, wins.
            line=$(bench "$1" --deadline 60 "${@:2}" --port "$case_port" --broker-pid "$BROKER_PID" --label "$broker")
            stop_broker
            for metric in ${metrics//,/ }; do
                echo "${line/#\{/{\"case\":\"$name\",\"metric\":\"$metric\",\"rep\":$rep,}" >> "$OUT"
            done
            echo "$name [$broker, rep $rep]: $line" >&2
        done
    done
}

