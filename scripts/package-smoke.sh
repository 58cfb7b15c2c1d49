#!/usr/bin/env bash
# Package smoke test: pack the libraries into a local feed, create a fresh console app outside the
# repository, add Genesis.Evolution 0.1.0 from that feed (its dependencies come from nuget.org), run a
# tiny evolution through the public API and check that the app's last line starts with "best: ".
#
#   bash scripts/package-smoke.sh            (GENESIS_SMOKE_KEEP=1 keeps the temp folder)
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
VERSION="${GENESIS_SMOKE_VERSION:-0.1.0}"
PROJECTS=(src/Genesis.Abstractions src/Genesis.Backends src/Genesis.Evolution)
NUGET_ORG="https://api.nuget.org/v3/index.json"

export DOTNET_NOLOGO=1
export DOTNET_CLI_TELEMETRY_OPTOUT=1
export DOTNET_SKIP_FIRST_TIME_EXPERIENCE=1

WORK="$(mktemp -d "${TMPDIR:-/tmp}/genesis-package-smoke.XXXXXX")"
FEED="$WORK/feed"
APP="$WORK/app"
# A private global-packages folder, so that a Genesis.* 0.1.0 cached by an earlier run (same version,
# older bits) can never stand in for the packages just built.
PACKAGES="$WORK/packages"

cleanup() {
    if [ "${GENESIS_SMOKE_KEEP:-0}" = "1" ]; then
        printf '==> kept %s\n' "$WORK"
    else
        rm -rf "$WORK"
    fi
}
trap cleanup EXIT

log() { printf '==> %s\n' "$*"; }
fail() { printf 'package-smoke: FAILED: %s\n' "$*" >&2; exit 1; }

mkdir -p "$FEED" "$APP" "$PACKAGES"

log "pack ${PROJECTS[*]} -> $FEED"
for project in "${PROJECTS[@]}"; do
    dotnet pack "$ROOT/$project" -c Release -o "$FEED" -p:Version="$VERSION" \
        || fail "dotnet pack $project"
done
for project in "${PROJECTS[@]}"; do
    id="$(basename "$project")"
    [ -f "$FEED/$id.$VERSION.nupkg" ] || fail "$FEED/$id.$VERSION.nupkg was not produced"
done
ls -l "$FEED"

log "new console app in $APP"
cat >"$APP/nuget.config" <<EOF
<?xml version="1.0" encoding="utf-8"?>
<configuration>
  <config>
    <add key="globalPackagesFolder" value="$PACKAGES" />
  </config>
  <packageSources>
    <clear />
    <add key="genesis-local" value="$FEED" />
    <add key="nuget.org" value="$NUGET_ORG" />
  </packageSources>
  <packageSourceMapping>
    <packageSource key="genesis-local">
      <package pattern="Genesis.*" />
    </packageSource>
    <packageSource key="nuget.org">
      <package pattern="*" />
    </packageSource>
  </packageSourceMapping>
</configuration>
EOF
# Keep the app out of any Directory.Build.props / Directory.Packages.props above the temp folder.
cat >"$APP/Directory.Build.props" <<'EOF'
<Project />
EOF
cat >"$APP/Directory.Packages.props" <<'EOF'
<Project />
EOF
(cd "$APP" && dotnet new console --framework net10.0 --name GenesisSmoke --output . --force) \
    || fail "dotnet new console"

log "add package Genesis.Evolution $VERSION"
# The app's nuget.config lists the local feed and nuget.org: the restore that `dotnet add package`
# runs needs both (Genesis.* from the feed, their dependencies from nuget.org).
(cd "$APP" && dotnet add GenesisSmoke.csproj package Genesis.Evolution --version "$VERSION") \
    || fail "dotnet add package Genesis.Evolution --version $VERSION"
grep -q 'Include="Genesis.Evolution"' "$APP/GenesisSmoke.csproj" \
    || fail "GenesisSmoke.csproj has no Genesis.Evolution reference"
for id in genesis.evolution genesis.backends genesis.abstractions; do
    [ -d "$PACKAGES/$id/$VERSION" ] || fail "$id $VERSION was not restored from the local feed"
done

cat >"$APP/Program.cs" <<'EOF'
using Genesis;

var result = await Evolution.For<Quadratic>()
    .WithIslands(2)
    .WithSeed(7)
    .WithBudget(maxEvaluations: 24)
    .WithRunFolder(Path.Combine(Path.GetTempPath(), "genesis-smoke-" + Guid.NewGuid().ToString("N")))
    .RunAsync();
Console.WriteLine($"best: {result.BestScore:F4}");

sealed class Quadratic : IEvolutionTask
{
    public ProgramLanguage Language => ProgramLanguage.Python;
    public string InitialProgram => "# EVOLVE-BLOCK-START\nx = 0.5\n# EVOLVE-BLOCK-END\n";
    public IEvaluator Evaluator => Evaluators.FromDelegate((request, ct) =>
    {
        var line = request.Code.Split('\n').First(l => l.StartsWith("x = ", StringComparison.Ordinal));
        var x = double.Parse(line[4..], System.Globalization.CultureInfo.InvariantCulture);
        return ValueTask.FromResult(EvaluationResult.Success(1.0 - (x - 2.0) * (x - 2.0)));
    });
}
EOF

log "build and run the app"
(cd "$APP" && dotnet build GenesisSmoke.csproj -c Release) || fail "dotnet build of the smoke app"
OUTPUT="$WORK/run.out"
run_rc=0
# The app puts its run folder under Path.GetTempPath(): point that into the work folder, which is removed.
mkdir -p "$WORK/tmp"
(cd "$APP" && TMPDIR="$WORK/tmp" timeout 600 dotnet run --project GenesisSmoke.csproj -c Release --no-build) 2>&1 \
    | tee "$OUTPUT" || run_rc=$?
[ "$run_rc" -eq 0 ] || fail "the smoke app exited with code $run_rc"
last="$(grep -v '^[[:space:]]*$' "$OUTPUT" | tail -n 1 || true)"
case "$last" in
    "best: "*) log "package smoke passed: $last" ;;
    *) fail "the app's last line does not start with 'best: ' (it is: '$last')" ;;
esac
