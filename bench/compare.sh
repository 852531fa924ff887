#!/usr/bin/env bash
# Parley vs Node.js ws vs Socket.IO, one run on this machine (issue 11; docs/performance.md).
# Builds chat-bench through the reactor (nothing installed into ~/.m2), installs the Node
# baselines from chat-bench/node/package-lock.json, then runs dev.parley.bench.Compare with the
# generator pinned to the last CPU (the servers get the others). Tables go to stdout and to a new
# file in bench/results/. Arguments are passed on to Compare, e.g.
#   bench/compare.sh --servers parley,ws --scenarios rooms,idle --step-seconds 3
set -euo pipefail
cd "$(dirname "$0")/.."

cp_file=chat-bench/target/bench-classpath.txt
mvn_args=(-q -B -pl chat-bench -am compile
  org.apache.maven.plugins:maven-dependency-plugin:3.8.1:build-classpath "-Dmdep.outputFile=$PWD/$cp_file")
echo "building chat-bench ..." >&2
mvn -o "${mvn_args[@]}" >/dev/null 2>&1 || mvn "${mvn_args[@]}"

if command -v node >/dev/null && command -v npm >/dev/null; then
  if [ ! -d chat-bench/node/node_modules/ws ] || [ ! -d chat-bench/node/node_modules/socket.io ] \
     || [ chat-bench/node/package-lock.json -nt chat-bench/node/node_modules/.package-lock.json ]; then
    echo "installing the Node baselines (npm ci) ..." >&2
    (cd chat-bench/node && npm ci --no-audit --no-fund --loglevel=error)
  fi
else
  echo "node/npm not found: the ws and Socket.IO baselines will be skipped" >&2
fi

pin=()
cpus=$(nproc --all 2>/dev/null || echo 1)
if command -v taskset >/dev/null && [ "$cpus" -ge 2 ] && [[ " $* " != *" --no-pin "* ]]; then
  pin=(taskset -c "$((cpus - 1))")
fi
exec "${pin[@]}" java -Xms512m -Xmx2g -cp "chat-bench/target/classes:$(cat "$cp_file")" dev.parley.bench.Compare "$@"
