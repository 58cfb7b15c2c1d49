#!/usr/bin/env bash
# Installs the TypeScript compiler (tsc) and Node's type declarations from npm into tools/node/ (ignored by git),
# where Genesis's TypeScript toolchain looks for it (after PATH), for the TypeScript tests and for local use.
#
#   bash scripts/setup/typescript.sh          # prints the path of tsc on its last line
#
# Idempotent: when the pinned versions are installed already it says so and exits at once. Set GENESIS_NODE_TOOLS to
# install somewhere else (then point TypeScriptToolchainOptions.Tsc at <folder>/node_modules/.bin/tsc).
# Needs node and npm (Debian: apt-get install nodejs npm) and the npm registry. Exits non-zero when the install fails.
set -euo pipefail

TYPESCRIPT_VERSION="7.0.2"
TYPES_NODE_VERSION="20.19.43"

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
PREFIX="${GENESIS_NODE_TOOLS:-$ROOT/tools/node}"
TSC="$PREFIX/node_modules/.bin/tsc"

say() { printf 'typescript: %s\n' "$*"; }

installed_version() { # the version of an installed package, or nothing
    local manifest="$PREFIX/node_modules/$1/package.json"
    [ -f "$manifest" ] || return 0
    node -e 'process.stdout.write(require(process.argv[1]).version)' "$manifest" 2>/dev/null || true
}

for tool in node npm; do
    if ! command -v "$tool" >/dev/null 2>&1; then
        printf 'typescript: error: %s was not found on PATH: install Node.js (Debian: apt-get install nodejs npm)\n' "$tool" >&2
        exit 1
    fi
done

if [ "$(installed_version typescript)" = "$TYPESCRIPT_VERSION" ] \
    && [ "$(installed_version @types/node)" = "$TYPES_NODE_VERSION" ] \
    && "$TSC" --version >/dev/null 2>&1; then
    say "typescript $TYPESCRIPT_VERSION and @types/node $TYPES_NODE_VERSION are installed already"
else
    say "installing typescript@$TYPESCRIPT_VERSION and @types/node@$TYPES_NODE_VERSION into $PREFIX"
    mkdir -p "$PREFIX"
    # A package.json of its own keeps npm from walking up to (and changing) an enclosing project.
    [ -f "$PREFIX/package.json" ] || printf '{\n  "name": "genesis-node-tools",\n  "private": true\n}\n' >"$PREFIX/package.json"
    npm install --prefix "$PREFIX" --save-exact --no-audit --no-fund --loglevel=error \
        "typescript@$TYPESCRIPT_VERSION" "@types/node@$TYPES_NODE_VERSION"
    if ! "$TSC" --version >/dev/null 2>&1; then
        printf 'typescript: error: %s does not run after the install\n' "$TSC" >&2
        exit 1
    fi
fi

say "$("$TSC" --version) at $TSC"
