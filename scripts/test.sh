#!/usr/bin/env bash
# The one test command: installs what the tests need (Debian packages), runs the Python task tests and the
# .NET test suite, and prints one aggregate line: "tests: N passed, M failed, K skipped".
#
#   bash scripts/test.sh
#
# Works on a fresh Debian 12 machine with the .NET 10 SDK. apt runs only as root and only when a
# package below is missing. Logs go to artifacts/test-logs/ (override with GENESIS_TEST_LOG_DIR).
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"

# Every Debian package the tests need, in one place (later work adds e.g. bubblewrap, slurm-wlm munge,
# ocl-icd-libopencl1 pocl-opencl-icd clinfo).
APT_PACKAGES="python3 bubblewrap slurm-wlm munge"

LOG_DIR="${GENESIS_TEST_LOG_DIR:-$ROOT/artifacts/test-logs}"
mkdir -p "$LOG_DIR"
PY_LOG="$LOG_DIR/python-tests.log"
DOTNET_LOG="$LOG_DIR/dotnet-test.log"

export DOTNET_NOLOGO=1
export DOTNET_CLI_TELEMETRY_OPTOUT=1
export DOTNET_SKIP_FIRST_TIME_EXPERIENCE=1
export PYTHONDONTWRITEBYTECODE=1

log() { printf '==> %s\n' "$*"; }

install_packages() {
    local missing=() package
    for package in $APT_PACKAGES; do
        if ! dpkg -s "$package" >/dev/null 2>&1; then
            missing+=("$package")
        fi
    done
    if [ "${#missing[@]}" -eq 0 ]; then
        log "apt: every package is installed ($APT_PACKAGES)"
        return 0
    fi
    if [ "$(id -u)" -ne 0 ]; then
        log "apt: not root, skipping the install of: ${missing[*]} (tests that need them may fail)"
        return 0
    fi
    log "apt: installing ${missing[*]}"
    export DEBIAN_FRONTEND=noninteractive
    apt-get update
    apt-get install -y --no-install-recommends "${missing[@]}"
}

# Strip ANSI colour codes so that the summary lines parse whatever the terminal.
strip_ansi() { sed -E 's/\x1B\[[0-9;]*[A-Za-z]//g'; }

install_packages

# Machine services and tools the tests use for real (each script is idempotent and says what it did).
for setup in scripts/setup/*.sh; do
    [ -e "$setup" ] || continue
    log "setup: $setup"
    bash "$setup"
done

total_passed=0
total_failed=0
total_skipped=0
problems=()

# --- Python task tests (stdlib unittest) -------------------------------------------------------------
log "python: unittest discover -s tests/python"
py_rc=0
python3 -m unittest discover -s tests/python -v 2>&1 | tee "$PY_LOG" || py_rc=$?
py_ran="$(strip_ansi <"$PY_LOG" | sed -nE 's/^Ran ([0-9]+) tests? in .*/\1/p' | tail -n 1)"
py_ran="${py_ran:-0}"
py_tail="$(strip_ansi <"$PY_LOG" | grep -E '^(OK|FAILED)( \(.*\))?$' | tail -n 1 || true)"
py_count() { # the count of one kind in unittest's closing line, e.g. failures=2
    local value
    value="$(printf '%s\n' "$py_tail" | grep -oE "$1=[0-9]+" | head -n 1 | cut -d= -f2 || true)"
    printf '%s' "${value:-0}"
}
py_failed=$(( $(py_count failures) + $(py_count errors) + $(py_count 'unexpected successes') ))
py_skipped=$(py_count skipped)
py_passed=$(( py_ran - py_failed - py_skipped ))
if [ "$py_passed" -lt 0 ]; then py_passed=0; fi
if [ "$py_rc" -ne 0 ] && [ "$py_failed" -eq 0 ]; then
    problems+=("python unittest exited with code $py_rc")
fi
log "python: $py_passed passed, $py_failed failed, $py_skipped skipped"
total_passed=$(( total_passed + py_passed ))
total_failed=$(( total_failed + py_failed ))
total_skipped=$(( total_skipped + py_skipped ))

# --- .NET test suite ---------------------------------------------------------------------------------
# Build the whole solution first: some tests run the built samples, and `dotnet test` alone may start a
# test assembly before a project it does not reference has finished building.
log "dotnet: build Genesis.Sdk.sln -c Release"
build_rc=0
dotnet build Genesis.Sdk.sln -c Release 2>&1 | tee "$DOTNET_LOG" || build_rc=$?
test_args=(--logger "console;verbosity=minimal")
if [ "$build_rc" -eq 0 ]; then
    test_args+=(--no-build)
else
    problems+=("dotnet build exited with code $build_rc (see $DOTNET_LOG); running the tests that still build")
fi
log "dotnet: test Genesis.Sdk.sln -c Release"
dotnet_rc=0
dotnet test Genesis.Sdk.sln -c Release "${test_args[@]}" 2>&1 | tee -a "$DOTNET_LOG" || dotnet_rc=$?

# VSTest prints one line per test assembly:
#   Passed!  - Failed:     0, Passed:    15, Skipped:     0, Total:    15, Duration: 62 ms - X.Tests.dll (net10.0)
summary_re='^[[:space:]]*(Passed|Failed|Skipped)![[:space:]]+-[[:space:]]+Failed:[[:space:]]*[0-9]+,[[:space:]]*Passed:[[:space:]]*[0-9]+,[[:space:]]*Skipped:[[:space:]]*[0-9]+'
dn_passed=0
dn_failed=0
dn_skipped=0
dn_assemblies=0
while IFS= read -r line; do
    f="$(printf '%s' "$line" | sed -nE 's/.*Failed:[[:space:]]*([0-9]+).*/\1/p')"
    p="$(printf '%s' "$line" | sed -nE 's/.*Passed:[[:space:]]*([0-9]+).*/\1/p')"
    s="$(printf '%s' "$line" | sed -nE 's/.*Skipped:[[:space:]]*([0-9]+).*/\1/p')"
    dn_failed=$(( dn_failed + ${f:-0} ))
    dn_passed=$(( dn_passed + ${p:-0} ))
    dn_skipped=$(( dn_skipped + ${s:-0} ))
    dn_assemblies=$(( dn_assemblies + 1 ))
done < <(strip_ansi <"$DOTNET_LOG" | grep -E "$summary_re" || true)

if [ "$dn_assemblies" -eq 0 ]; then
    # Microsoft.Testing.Platform mode prints one closing block instead: "total: N / failed: N / succeeded: N / skipped: N".
    mtp_value() { strip_ansi <"$DOTNET_LOG" | sed -nE "s/^[[:space:]]*$1:[[:space:]]*([0-9]+)[[:space:]]*$/\1/p" | tail -n 1; }
    if strip_ansi <"$DOTNET_LOG" | grep -qE 'Test run summary:'; then
        dn_failed="$(mtp_value failed)"; dn_failed="${dn_failed:-0}"
        dn_passed="$(mtp_value succeeded)"; dn_passed="${dn_passed:-0}"
        dn_skipped="$(mtp_value skipped)"; dn_skipped="${dn_skipped:-0}"
        dn_assemblies=1
    fi
fi
if [ "$dn_assemblies" -eq 0 ]; then
    problems+=("dotnet test reported no test assembly result (see $DOTNET_LOG)")
elif [ "$dotnet_rc" -ne 0 ] && [ "$dn_failed" -eq 0 ]; then
    problems+=("dotnet test exited with code $dotnet_rc without a failed test (build error or aborted run: see $DOTNET_LOG)")
fi
log "dotnet: $dn_passed passed, $dn_failed failed, $dn_skipped skipped in $dn_assemblies test assemblies"
total_passed=$(( total_passed + dn_passed ))
total_failed=$(( total_failed + dn_failed ))
total_skipped=$(( total_skipped + dn_skipped ))

# --- verdict -----------------------------------------------------------------------------------------
total_ran=$(( total_passed + total_failed ))
if [ "$total_ran" -eq 0 ]; then
    problems+=("no test ran")
fi
for problem in "${problems[@]+"${problems[@]}"}"; do
    printf 'error: %s\n' "$problem" >&2
done
printf 'logs: %s, %s\n' "$PY_LOG" "$DOTNET_LOG"
printf 'tests: %d passed, %d failed, %d skipped\n' "$total_passed" "$total_failed" "$total_skipped"
if [ "$total_failed" -ne 0 ] || [ "${#problems[@]}" -ne 0 ]; then
    exit 1
fi
