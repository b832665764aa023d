#!/usr/bin/env bash
# Installs what the tests need and runs every test: unit, integration on a real Azurite (started by the tests on free
# ports, in memory), and the Functions metadata contract. Exits non-zero on any failure.
#   ./test.sh --long   runs the fault suite in its long version (CARTLAB_RELIABILITY=long: 5 kills, a 5-minute outage,
#                      a larger cohort); by default the fault suite runs its short version.
set -euo pipefail
cd "$(dirname "$0")"
if [ "${1:-}" = "--long" ]; then
  export CARTLAB_RELIABILITY=long
fi
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1 DOTNET_SKIP_FIRST_TIME_EXPERIENCE=1
# Tests run short-lived processes (test hosts, cartlab serve) that mostly execute code once: dynamic PGO's instrumented
# tier costs them CPU it never pays back (Core tests: 20.6 s of CPU with it, 16.1 s without). Behaviour is the same.
export DOTNET_TieredPGO=0
./eng/ensure-node-tools.sh
./eng/ensure-chromium.sh

# The build checks the code's style and layout too (.editorconfig: EnforceCodeStyleInBuild, IDE0055 and the naming rules
# as warnings, and warnings are errors): code 'dotnet format' would change does not build. The text rules the compiler
# does not see (final new line, LF, no byte order mark) take a fraction of a second.
echo "== build (warnings are errors; style and layout included; ${SECONDS} s in)"
if ! dotnet build CarTLabPipeline.sln -c Release --nologo -v quiet -clp:ErrorsOnly; then
  # A first build of a fresh checkout once failed with MSB3030 ("could not copy …/WorkerExtensions/bin/…"): the Functions
  # project's worker-extensions build racing the Functions tests' copy of its output. A second build finds the files; a
  # real error fails it again.
  echo "== build failed; building once more (a first build can lose a race in the Functions worker extensions)"
  dotnet build CarTLabPipeline.sln -c Release --nologo -v quiet -clp:ErrorsOnly
fi
node eng/check-text.mjs

echo "== tests (${SECONDS} s in)"
figures=tests/CarTLabPipeline.Reliability.Tests/bin/Release/net10.0/reliability-figures.md
rm -f "$figures" tests/CarTLabPipeline.LocalHost.Tests/bin/Release/net10.0/workspace-browser-figures.txt
log=$(mktemp)
trap 'rm -f "$log" "$log.reliability" "$log.status"' EXIT
set +e
# All six test assemblies at once. The reliability suite (fault run, memory bound, SendGrid outage) is timing-sensitive:
# it waits for leases, polls and outages, and starved of CPU its short run took 4-5 min instead of 1.5. So it runs at
# normal priority and the rest at a lower one (nice 10; their Azurite, MailDev and Chromium inherit it): the others fill
# the CPU the suite leaves while it waits. The integration assemblies spend most of their time waiting too (all five at once: MaxCpuCount=5).
# A test that runs longer than 4 minutes is named in the output every 4 minutes ("[Long Running Test] 'name'",
# tests/xunit.runner.json), so a hang says where it is.
# Both stream their output as it comes (a hang's notice shows while it hangs); the reliability run's is kept for the count.
# The test assemblies are given to 'dotnet test' as built files, not as projects: through the solution, MSBuild evaluated
# every project again before the first test ran (26 s of CPU of the 2 cores, and the last assembly started ~80 s in).
assembly() { echo "tests/CarTLabPipeline.$1.Tests/bin/Release/net10.0/CarTLabPipeline.$1.Tests.dll"; }
(dotnet test "$(assembly Reliability)" --nologo 2>&1; echo $? > "$log.status") | tee "$log.reliability" &
reliability=$! # the tee: once it ends, the run has ended and its output is all in the file
others=()
for project in tests/CarTLabPipeline.*.Tests; do
  name=${project#tests/CarTLabPipeline.}
  name=${name%.Tests}
  [ "$name" = Reliability ] || others+=("$(assembly "$name")")
done
nice -n 10 dotnet test "${others[@]}" --nologo \
  -- RunConfiguration.MaxCpuCount=5 2>&1 | tee "$log"
status=${PIPESTATUS[0]}
wait "$reliability"
reliability_status=$(cat "$log.status" 2>/dev/null || echo 1)
cat "$log.reliability" >> "$log"
if [ "$reliability_status" -ne 0 ]; then
  status=$reliability_status
fi
set -e

# The fault suite's figures (docs/reliability.md), when it ran.
if [ -f "$figures" ]; then
  echo
  cat "$figures"
fi

# The workspace browser test's wall time (docs/workspace.md), when it ran.
browser_figures=tests/CarTLabPipeline.LocalHost.Tests/bin/Release/net10.0/workspace-browser-figures.txt
if [ -f "$browser_figures" ]; then
  cat "$browser_figures"
fi

# One closing line for people and CI: the sum over all test assemblies.
passed=$(grep -oE 'Passed: +[0-9]+' "$log" | awk '{s+=$2} END {print s+0}')
failed=$(grep -oE 'Failed: +[0-9]+' "$log" | awk '{s+=$2} END {print s+0}')
echo
echo "tests: ${passed} passed, ${failed} failed ($((SECONDS / 60)) min $((SECONDS % 60)) s in all)"
if [ "$status" -ne 0 ] || [ "$failed" -ne 0 ] || [ "$passed" -eq 0 ]; then
  exit 1
fi
