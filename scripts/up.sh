#!/usr/bin/env bash
# The main job: installs what is missing, then starts a local cluster and
# prints how to use it.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/ensure-deps.sh
exec node bin/capstan.js cluster up "$@"
