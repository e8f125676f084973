#!/bin/sh
# Runs a command with Node >= 22.12 first on PATH. Astro's CLI refuses older Node, and many
# machines still ship Node 20, so when the system node is too old we install Node 24 from the
# npm registry into .tools/node once and use that.
set -e
root=$(cd "$(dirname "$0")/.." && pwd)
local_bin="$root/.tools/node/node_modules/.bin"

node_ok() {
  "$1" -e 'const [a,b]=process.versions.node.split(".").map(Number);process.exit(a>22||(a===22&&b>=12)?0:1)' 2>/dev/null
}

if ! node_ok node; then
  if ! node_ok "$local_bin/node"; then
    echo "tidings: Node $(node --version 2>/dev/null || echo none) is older than 22.12; installing Node 24 into .tools/node (once)" >&2
    npm install --silent --no-audit --no-fund --prefix "$root/.tools/node" node@24 >&2
  fi
  PATH="$local_bin:$PATH"
fi
PATH="$root/node_modules/.bin:$PATH"
export PATH
exec "$@"
