#!/usr/bin/env bash
# The long fuzzing run: each target of InboundFuzzTest in turn, in its own JVM, at low priority.
#   fuzz/run-long.sh [seconds-per-target] [target ...]
# A finding is written under src/test/resources/dev/midge/fuzz/InboundFuzzTestInputs/<target>/ and the run
# goes on with the next target; each target's log is kept in target/fuzz-logs/.
set -u
cd "$(dirname "$0")/.."
seconds="${1:-420}"
shift || true
targets=("$@")
if [ ${#targets[@]} -eq 0 ]; then
  targets=(rawBytes afterMqtt311Connect afterMqtt5Connect structuredPackets webSocketFrames)
fi
mkdir -p target/fuzz-logs
failed=0
for target in "${targets[@]}"; do
  log="target/fuzz-logs/${target}.log"
  echo "fuzzing ${target} for ${seconds}s (log: ${log})"
  if nice -n 10 ./mvnw -B -Pfuzz test -Dtest="InboundFuzzTest#${target}" -Dsurefire.failIfNoSpecifiedTests=false \
      -Dfuzz.seconds="${seconds}" >"${log}" 2>&1; then
    echo "  no finding"
  else
    echo "  FINDING or failure, see ${log}"
    failed=1
  fi
  grep -E '^#[0-9]+ +(DONE|pulse)|^Done [0-9]+ runs' "${log}" | tail -2 | sed 's/^/  /'
done
exit "${failed}"
