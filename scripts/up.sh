#!/usr/bin/env bash
# The main job: installs what is missing, then runs `capstan up`: a local
# cluster, the example platform as local git repositories, the engine, and a
# live view of every app's sync and health. Ctrl-C stops everything.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/ensure-deps.sh
exec node bin/capstan.js up "$@"
