#!/usr/bin/env bash
# Runs the GUI tests under Xvfb with a private session bus and the accessibility bus.
set -euo pipefail
cd "$(dirname "$0")"
export GTK_A11Y=atspi NO_AT_BRIDGE=0 GSK_RENDERER="${GSK_RENDERER:-cairo}"
# Debian's pyatspi belongs to Debian's python, not the first python3 on PATH.
exec xvfb-run -a -s "-screen 0 ${SCREEN:-1366x768x24} -noreset" \
  dbus-run-session -- bash -c '
    /usr/libexec/at-spi-bus-launcher --launch-immediately >/dev/null 2>&1 &
    sleep 0.5
    status=0
    for test in test_*.py; do /usr/bin/python3 "$test" || status=1; done
    exit $status'
