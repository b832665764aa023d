#!/usr/bin/env bash
# Copies the workspace screenshots that the browser test (WorkspaceBrowserTests) saved under its test output into
# docs/images as workspace-{page}-{desktop|phone}.png. Run the browser test first, e.g.
#   dotnet test tests/CarTLabPipeline.LocalHost.Tests -c Release --filter "FullyQualifiedName~WorkspaceBrowser"
# then LOOK at every image before committing it.
set -euo pipefail
cd "$(dirname "$0")/.."
shots=tests/CarTLabPipeline.LocalHost.Tests/bin/Release/net10.0/workspace-screenshots
if [ ! -d "$shots" ]; then
  echo "No screenshots under $shots: run the browser test first (see the comment at the top of this script)." >&2
  exit 1
fi
copied=0
for page in inbox alert patient patient-reference; do
  for width in desktop phone; do
    source="$shots/$page-$width.png"
    if [ ! -f "$source" ]; then
      echo "missing $source: the browser test did not finish" >&2
      exit 1
    fi
    cp "$source" "docs/images/workspace-$page-$width.png"
    copied=$((copied + 1))
  done
done
echo "copied $copied screenshots to docs/images"
