#!/usr/bin/env bash
# The deterministic sync simulation (issue 3) over a range of seeds.
#
#   scripts/sim.sh                          # 200 seeds, every fault: what `make test` runs
#   SEEDS=10000 scripts/sim.sh              # `make sim SEEDS=10000`
#   FIRST_SEED=4000 SEEDS=50 REPLICAS=8 OPS=2000 FAULTS=drop,crash scripts/sim.sh
#
# Runs up to 1000 seeds on the debug build `make test` has already made; more seeds
# are worth a release build (about 2x faster per seed). SIM_CONFIG=debug|release and
# SIM_SCRATCH (the build folder, default sync-server/.build) override that.
# A failing seed prints the violated invariant, a minimal trace and the command that
# replays it; the last line is the outcome.
set -euo pipefail
cd "$(dirname "$0")/../sync-server"

seeds=${SEEDS:-200}
first=${FIRST_SEED:-1}
last=$((first + seeds - 1))
replicas=${REPLICAS:-5}
ops=${OPS:-250}
faults=${FAULTS:-all}
jobs=${JOBS:-$(nproc)}
scratch=${SIM_SCRATCH:-.build}
if [ -n "${SIM_CONFIG:-}" ]; then
  config=$SIM_CONFIG
elif [ "$seeds" -gt 1000 ]; then
  config=release
else
  config=debug
fi

swift="${SWIFT:-swift}"
"$swift" build -c "$config" --scratch-path "$scratch" --product homeward-sim
sim="$("$swift" build -c "$config" --scratch-path "$scratch" --show-bin-path)/homeward-sim"

# A simulator that cannot fail proves nothing: each deliberately broken rule must be
# caught before the seeds below count for anything.
for sabotage in last-writer-wins drop-pushed-record ignore-scope; do
  if "$sim" --seed 1 --replicas "$replicas" --ops "$ops" --sabotage "$sabotage" > /dev/null 2>&1; then
    echo "homeward-sim: the checks did not catch --sabotage $sabotage" >&2
    exit 1
  fi
done
echo "homeward-sim: the checks catch every sabotage (last-writer-wins, drop-pushed-record, ignore-scope)"

# Timestamps order the user interface and never decide what survives: the first seeds
# run again with every clock exact must end with the same merged records.
skew_seeds=$(( seeds < 20 ? seeds : 20 ))
if ! skew_log=$("$sim" --seeds "$first...$((first + skew_seeds - 1))" --replicas "$replicas" --ops "$ops" \
    --faults "$faults" --jobs "$jobs" --skew-invariance 2>&1); then
  echo "$skew_log"
  exit 1
fi
echo "homeward-sim: skewed clocks changed no merge outcome in $skew_seeds seeds"

exec "$sim" --seeds "$first...$last" --replicas "$replicas" --ops "$ops" --faults "$faults" --jobs "$jobs"
