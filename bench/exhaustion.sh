#!/usr/bin/env bash
# Hostile clients against Midge, one scenario per fresh broker, each once: sockets that never send CONNECT,
# subscribers that never read, 100k subscriptions, the deepest and longest topics, 10k retained messages for one
# '#', a 1 MiB packet trickled a byte a second, a 1 MiB packet of user properties. Prints one JSON line per run
# and keeps them in bench/target/exhaustion-*.jsonl; the figures go in docs/security.md. Loopback only; every run
# is bounded in count and time. SCALE=small (default) or medium. A shared machine gives rough figures: memory
# per item is the point, not speed.
set -euo pipefail
cd "$(dirname "$0")/.."

SCALE=${SCALE:-small}
BROKER_CORE=${BROKER_CORE:-0}
LOAD_CORE=${LOAD_CORE:-1}
if [ "$SCALE" = medium ]; then SOCKETS=5000; SLOW=200; TRICKLERS=100; else SOCKETS=2000; SLOW=50; TRICKLERS=20; fi

OUT_NAME=exhaustion
source bench/lib.sh

one() { # NAME MIDGE_OPTS SCENARIO ARGS...
    local name=$1 port line
    # ONLY=regex runs the cases whose name matches, e.g. ONLY='retained|trickle'.
    [ -z "${ONLY:-}" ] || [[ "$name" =~ $ONLY ]] || return 0
    MIDGE_OPTS=$2
    shift 2
    port=$(free_port)
    start_broker midge "$port"
    line=$(bench "$@" --port "$port" --broker-pid "$BROKER_PID" --label midge --heap)
    stop_broker
    echo "${line/#\{/{\"case\":\"$name\",}" | tee -a "$OUT"
}

# Shorter than the defaults (60s, 30s) so that a run ends in seconds; the mechanism is the same.
TIMEOUTS="-Dmidge.packet-read-timeout=10s -Dmidge.slow-subscriber-timeout=5s"

one "idle sockets, connect-timeout 10s" "$TIMEOUTS" idle-sockets --connections "$SOCKETS" --deadline 40
one "slow readers, 1 KiB qos0" "$TIMEOUTS" slow-readers --subscribers "$SLOW" --messages 20000 --payload 1024 --deadline 30
one "100k filters, default limit" "$TIMEOUTS" subscriptions --filters 100000 --deadline 120
one "100k filters, limit raised" "$TIMEOUTS -Dmidge.max-subscriptions-per-client=200000" subscriptions --filters 100000 --deadline 120
one "65535-byte topic, 10k levels, default limit" "$TIMEOUTS" deep-topic --messages 20 --deadline 60
one "65535-byte topic, 10k levels, limit raised" "$TIMEOUTS -Dmidge.max-topic-levels=65536" deep-topic --messages 20 --deadline 60
one "10k retained to one #" "$TIMEOUTS" retained --messages 10000 --payload 64 --deadline 60
one "1 MiB trickled 1 B/s, read timeout 10s" "$TIMEOUTS" trickle --connections "$TRICKLERS" --packet-size 1048576 --deadline 40
one "1 MiB of user properties" "$TIMEOUTS" property-flood --messages 5 --packet-size 1048576 --deadline 60

echo "results: $OUT" >&2
