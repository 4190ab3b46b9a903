#!/usr/bin/env bash
# Chaos run of a 3-node cluster on loopback (dev.midge.chaos.ClusterChaosRun): 50 persistent QoS 1 subscribers
# spread over the nodes, 3 publishers at RATE msg/s each; every INTERVAL seconds a random node is killed
# (MODE=kill, SIGKILL) or stopped (MODE=term, SIGTERM) and started again, ROUNDS times; MODE=rolling stops
# nodes 2, 1, 0, 2, ... with SIGTERM, each back and ready before the next, as a rollout restart does; SUBSCRIBERS (50)
# sets the number of subscribers. Then no message
# acknowledged to its publisher may be missing at any subscriber, and none may have come twice without DUP.
# Exit status 0 on PASS; the per-subscriber lines and the summary are printed and kept in bench/target.
# Loopback only; bounded by ROUNDS and a 2-minute drain.
set -euo pipefail
cd "$(dirname "$0")/.."

MODE=${MODE:-kill}
ROUNDS=${ROUNDS:-10}
INTERVAL=${INTERVAL:-20}
RATE=${RATE:-20}
SUBSCRIBERS=${SUBSCRIBERS:-50}
mkdir -p bench/target
OUT=bench/target/cluster-chaos-$MODE-$(date +%Y%m%dT%H%M%S).txt

./mvnw -B -q verify -Dtest=none -Dsurefire.failIfNoSpecifiedTests=false -Dit.test=ClusterChaosRun \
    -Dchaos.mode="$MODE" -Dchaos.rounds="$ROUNDS" -Dchaos.interval="$INTERVAL" -Dchaos.rate="$RATE" -Dchaos.subscribers="$SUBSCRIBERS" \
    > "$OUT.log" 2>&1 && status=0 || status=$?
grep -h '^chaos ' "$OUT.log" target/failsafe-reports/*ClusterChaosRun*-output.txt 2>/dev/null | sort -u > "$OUT" || true
cat "$OUT"
[ "$status" = 0 ] && echo "PASS ($OUT)" || echo "FAIL, status $status (log: $OUT.log)"
exit "$status"
