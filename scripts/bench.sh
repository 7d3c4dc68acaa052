#!/usr/bin/env bash
# `make bench`: performance figures, each next to a baseline measured in the same run.
# Release builds; loopback only; every loop is bounded. Results also go to bench-output/.
set -euo pipefail
cd "$(dirname "$0")/.."
swift="${SWIFT:-swift}"
out="$PWD/bench-output"
mkdir -p "$out"

# Release builds in their own folders, so a benchmark never waits for (or disturbs) the
# debug builds that `make test` uses.
scratch_client="$PWD/.build-bench"
scratch_server="$PWD/sync-server/.build-bench"
echo "── building (release)"
"$swift" build -c release --scratch-path "$scratch_client" --product homeward-bench >/dev/null
(cd sync-server && "$swift" build -c release --scratch-path "$scratch_server" --product homeward-server >/dev/null \
  && "$swift" build -c release --scratch-path "$scratch_server" --product homeward-server-bench >/dev/null)
client_bin="$("$swift" build -c release --scratch-path "$scratch_client" --show-bin-path)"
server_bin="$(cd sync-server && "$swift" build -c release --scratch-path "$scratch_server" --show-bin-path)"

echo "── server: ingest and pull (homeward-server-bench)"
"$server_bin/homeward-server-bench" ${SERVER_BENCH_ARGS:-} | tee "$out/server.txt"

password_file="$(mktemp)"
printf '%s\n' "homeward-demo" > "$password_file"
servers=()
cleanup() {
  for pid in "${servers[@]}"; do kill "$pid" 2>/dev/null || true; done
  rm -f "$password_file"
}
trap cleanup EXIT

start_server() {  # start_server DIR PORT PATIENTS
  "$server_bin/homeward-server" serve --data "$1" --host 127.0.0.1 --port "$2" \
    --demo-patients "$3" --demo-seed 5 > "$1.log" 2>&1 &
  servers+=($!)
  for _ in $(seq 1 600); do
    curl -fsS "http://127.0.0.1:$2/health" >/dev/null 2>&1 && return 0
    sleep 0.2
  done
  echo "the server on port $2 did not start; see $1.log" >&2
  exit 1
}

scratch="$(mktemp -d)"
start_server "$scratch/small" 18431 2000
echo "── client: offline endurance (14 days, 5,000 edits, 500 concurrent)"
"$client_bin/homeward-bench" offline-endurance --server http://127.0.0.1:18431 --username office \
  --password-file "$password_file" | tee "$out/offline-endurance.txt"
echo "── client: recording upload vs raw loopback"
"$client_bin/homeward-bench" recording-upload --server http://127.0.0.1:18431 --username office \
  --password-file "$password_file" | tee "$out/recording-upload.txt"

start_server "$scratch/large" 18432 20000
echo "── client: first sync of 20,000 patients onto an empty client"
"$client_bin/homeward-bench" first-sync --server http://127.0.0.1:18432 --username office \
  --password-file "$password_file" | tee "$out/first-sync.txt"
rm -rf "$scratch"
