#!/usr/bin/env bash
# `make test`: every suite of both packages, the sync simulation, and the GUI tests
# under Xvfb. Full logs go to test-output/; the console gets each suite's summary lines
# and failures, then one closing line with the totals.
set -uo pipefail
cd "$(dirname "$0")/.."
out="$PWD/test-output"
rm -rf "$out" && mkdir -p "$out"
passed=0
failed=0
status=0
swift="${SWIFT:-swift}"

step() {  # step NAME COMMAND...: runs, logs, reports the status
  local name=$1; shift
  echo "── $name"
  local started=$SECONDS
  "$@" > "$out/$name.log" 2>&1
  local rc=$?
  echo "   ($((SECONDS - started)) s, log: test-output/$name.log)"
  if [ $rc -ne 0 ]; then
    status=1
    echo "   FAILED (exit $rc); last lines:"
    tail -n 30 "$out/$name.log" | sed 's/^/   | /'
  fi
  return $rc
}

swift_summary() {  # swift_summary LOG: prints summary and failure lines, adds to the totals
  local log=$1
  grep -E "^(✘|error:)|Test run with|Executed [0-9]+ tests?" "$log" | grep -v "^error: .*warning" | sed 's/^/   /' | head -n 60
  local total failures
  total=$(grep -Eo "Test run with [0-9]+ tests?" "$log" | grep -Eo "[0-9]+" | tail -n 1)
  failures=$(grep -E "^✘ Test .* failed after" "$log" | grep -v "^✘ Test run with" | sed -E 's/ failed after.*//' | sort -u | wc -l)
  total=${total:-0}
  passed=$((passed + total - failures))
  failed=$((failed + failures))
}

step build-client "$swift" build --build-tests || { echo "total: $passed passed, $((failed + 1)) failed"; exit 1; }
step build-server bash -c "cd sync-server && $swift build --build-tests" || { echo "total: $passed passed, $((failed + 1)) failed"; exit 1; }

step test-client "$swift" test --skip-build
swift_summary "$out/test-client.log"

step test-server bash -c "cd sync-server && $swift test --skip-build"
swift_summary "$out/test-server.log"

step end-to-end /usr/bin/python3 Tests/EndToEnd/test_sync.py
grep -E "^(PASS|FAIL)" "$out/end-to-end.log" | sed 's/^/   /'
passed=$((passed + $(grep -c "^PASS" "$out/end-to-end.log")))
failed=$((failed + $(grep -c "^FAIL" "$out/end-to-end.log")))

if [ -x scripts/sim.sh ]; then
  if step simulation env SEEDS="${SIM_SEEDS:-200}" scripts/sim.sh; then passed=$((passed + 1)); else failed=$((failed + 1)); fi
  tail -n 2 "$out/simulation.log" | sed 's/^/   /'
fi

step gui env HOMEWARD_TEST_OUTPUT="$out/gui" Tests/GUI/run.sh
grep -E "^(PASS|FAIL)" "$out/gui.log" | sed 's/^/   /'
gui_passed=$(grep -c "^PASS" "$out/gui.log")
gui_failed=$(grep -c "^FAIL" "$out/gui.log")
passed=$((passed + gui_passed))
failed=$((failed + gui_failed))
if [ "$gui_passed" -eq 0 ] && [ "$gui_failed" -eq 0 ]; then failed=$((failed + 1)); status=1; fi
echo "   screenshots: test-output/gui/*.png"

[ $failed -gt 0 ] && status=1
echo "total: $passed passed, $failed failed"
exit $status
