#!/usr/bin/env bash
# `make run`: the sync server with demo data on 127.0.0.1, and the desktop app connected to it.
set -euo pipefail
cd "$(dirname "$0")/.."

port="${PORT:-8420}"
patients="${PATIENTS:-2000}"
seed="${SEED:-7}"
run_dir="$PWD/.run"
server_url="http://127.0.0.1:$port"
server_bin="sync-server/.build/debug/homeward-server"
app_bin=".build/debug/homeward"
tool_bin=".build/debug/homeward-tool"
mkdir -p "$run_dir/server" "$run_dir/client"

"$server_bin" serve --data "$run_dir/server" --host 127.0.0.1 --port "$port" \
  --demo-patients "$patients" --demo-seed "$seed" > "$run_dir/server.log" 2>&1 &
server_pid=$!
trap 'kill "$server_pid" 2>/dev/null; wait "$server_pid" 2>/dev/null || true' EXIT INT TERM

for _ in $(seq 1 100); do
  curl -fsS "$server_url/health" >/dev/null 2>&1 && break
  if ! kill -0 "$server_pid" 2>/dev/null; then
    echo "The sync server stopped while starting; its log ($run_dir/server.log) says:" >&2
    tail -n 20 "$run_dir/server.log" >&2
    exit 1
  fi
  sleep 0.2
done
echo "Sync server: $server_url (data in $run_dir/server, log in $run_dir/server.log)"

# The desktop profile signs in as the demo ward nurse and pulls her wards' patients;
# the app then keeps syncing in the background. (Demo accounts exist only because the
# server was started with --demo-patients.)
user="${DEMO_USER:-nurse}"
printf '%s\n' "homeward-demo" | "$tool_bin" login --server "$server_url" --username "$user" --data "$run_dir/client"
"$tool_bin" sync --data "$run_dir/client"
echo "Demo accounts: nurse (two wards), visit (home visits), office (all wards); password homeward-demo."

if [ -z "${DISPLAY:-}" ] && [ -z "${WAYLAND_DISPLAY:-}" ]; then
  echo "No display (DISPLAY and WAYLAND_DISPLAY are unset), so the desktop app cannot open here."
  echo "The sync server keeps running at $server_url with demo data; press Ctrl+C to stop it."
  wait "$server_pid"
else
  echo "Opening Homeward (profile $run_dir/client)…"
  "$app_bin" --data "$run_dir/client" --server "$server_url"
fi
