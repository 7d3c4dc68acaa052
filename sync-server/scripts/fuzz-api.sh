#!/usr/bin/env bash
# Fuzzes the sync server's HTTP API with schemathesis against docs/openapi.yaml.
#
# Starts `homeward-server serve` with demo data on a free loopback port and a throwaway
# data directory, logs in as the demo central-office user, and lets schemathesis send
# generated valid and invalid requests to every endpoint for FUZZ_SECONDS (default 90).
# Fails when any answer is a 5xx, breaks the documented status codes, content types or
# response schemas, or when the server logged a request failure or died.
#
#   sync-server/scripts/fuzz-api.sh                 # builds into sync-server/.build
#   FUZZ_SECONDS=300 SCRATCH_PATH=.build-x sync-server/scripts/fuzz-api.sh
set -euo pipefail

server_dir=$(cd "$(dirname "$0")/.." && pwd)
root_dir=$(cd "$server_dir/.." && pwd)
budget=${FUZZ_SECONDS:-90}
scratch=${SCRATCH_PATH:-.build}

if ! command -v schemathesis >/dev/null 2>&1; then
    python3 -m pip install --quiet 'schemathesis>=4.32,<5'
fi
(cd "$server_dir" && swift build --scratch-path "$scratch" --product homeward-server)
binary="$server_dir/$scratch/debug/homeward-server"

data=$(mktemp -d)
port=$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
"$binary" serve --data "$data/server" --host 127.0.0.1 --port "$port" --demo-patients 20 --log-level warning \
    >"$data/stdout.log" 2>"$data/server.log" &
server=$!
cleanup() {
    kill "$server" 2>/dev/null || true
    wait "$server" 2>/dev/null || true
    rm -rf "$data"
}
trap cleanup EXIT

for _ in $(seq 100); do
    curl -fs "http://127.0.0.1:$port/health" >/dev/null && break
    sleep 0.2
done
token=$(curl -fs -X POST "http://127.0.0.1:$port/v1/login" -H 'Content-Type: application/json' \
    -d '{"username": "office", "password": "homeward-demo", "replica": "fuzz-office"}' |
    python3 -c 'import json, sys; print(json.load(sys.stdin)["token"])')

# schemathesis writes its cache into the working directory: keep it out of the tree.
cd "$data"
started=$(date +%s)
status=0
schemathesis run "$root_dir/docs/openapi.yaml" \
    --url "http://127.0.0.1:$port" \
    --header "Authorization: Bearer $token" \
    --checks not_a_server_error,status_code_conformance,content_type_conformance,response_schema_conformance \
    --max-time "$budget" --workers 1 --request-timeout 10 \
    --suppress-health-check all --warnings off || status=$?
echo "fuzz-api: schemathesis ran $(( $(date +%s) - started )) s against 127.0.0.1:$port"

if ! kill -0 "$server" 2>/dev/null; then
    echo "fuzz-api: the server died during fuzzing" >&2
    tail -20 "$data/server.log" >&2
    exit 1
fi
if grep -q "request failed" "$data/server.log"; then
    echo "fuzz-api: the server logged request failures (5xx):" >&2
    grep "request failed" "$data/server.log" | sort | uniq -c | head -20 >&2
    exit 1
fi
exit "$status"
