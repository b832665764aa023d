#!/usr/bin/env bash
# Runs the pipeline end to end on the local default: installs the local services, builds cartlab and runs its demo
# (Azurite is started and stopped by cartlab itself), then prints the workspace URL. Extra arguments go to 'cartlab demo'.
set -euo pipefail
cd "$(dirname "$0")"
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1 DOTNET_SKIP_FIRST_TIME_EXPERIENCE=1
./eng/ensure-node-tools.sh
echo "Building cartlab…" >&2
dotnet build src/CarTLabPipeline.LocalHost/CarTLabPipeline.LocalHost.csproj -c Release --nologo -v quiet -clp:ErrorsOnly >&2
dotnet src/CarTLabPipeline.LocalHost/bin/Release/net10.0/cartlab.dll demo "$@"
# The links in the demo's emails open the workspace, which 'cartlab serve' serves (Http__Port moves it from 7071).
echo
echo "Workspace: http://127.0.0.1:${Http__Port:-7071}/app/  (start it with: dotnet src/CarTLabPipeline.LocalHost/bin/Release/net10.0/cartlab.dll serve)"
