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
./eng/ensure-node-tools.sh
./eng/ensure-chromium.sh

# The build checks the code's style and layout too (.editorconfig: EnforceCodeStyleInBuild, IDE0055 and the naming rules
# as warnings, and warnings are errors): code 'dotnet format' would change does not build. The text rules the compiler
# does not see (final new line, LF, no byte order mark) take a fraction of a second.
echo "== build (warnings are errors; style and layout included)"
dotnet build CarTLabPipeline.sln -c Release --nologo -v quiet -clp:ErrorsOnly
node eng/check-text.mjs

echo "== tests"
figures=tests/CarTLabPipeline.Reliability.Tests/bin/Release/net10.0/reliability-figures.md
rm -f "$figures" tests/CarTLabPipeline.LocalHost.Tests/bin/Release/net10.0/workspace-browser-figures.txt
log=$(mktemp)
trap 'rm -f "$log"' EXIT
set +e
# All five test assemblies at once (-m:5; by default dotnet test runs one per core): the integration assemblies spend most
# of their time waiting on Azurite, MailDev and the child 'cartlab serve', so they overlap the CPU-bound unit tests.
# A test that hangs is stopped after 10 minutes (the fault suite's one test takes up to ~7 under load) and named in the
# output ("The active test running was …"), instead of holding the run until CI's time runs out.
dotnet test CarTLabPipeline.sln -c Release --no-build --nologo -m:5 --blame-hang-timeout 10m --blame-hang-dump-type none 2>&1 | tee "$log"
status=${PIPESTATUS[0]}
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
echo "tests: ${passed} passed, ${failed} failed"
if [ "$status" -ne 0 ] || [ "$failed" -ne 0 ] || [ "$passed" -eq 0 ]; then
  exit 1
fi
