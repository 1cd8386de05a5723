#!/bin/bash
# Starts the resource managers the tests run against (SLURM and Grid Engine
# on this host), through the team's rm-harness. Idempotent: with both up it
# returns at once.
set -euo pipefail
repo=$(cd "$(dirname "$0")/.." && pwd)
for candidate in "${RMH_HOME:-}" "$repo/../shared/rm-harness" /work/shared/rm-harness; do
    if [ -n "$candidate" ] && [ -f "$candidate/slurm-up.sh" ]; then harness=$candidate; break; fi
done
if [ -z "${harness:-}" ]; then
    echo ".ci/rm-up.sh: rm-harness not found (looked in \$RMH_HOME, ../shared/rm-harness, /work/shared/rm-harness)" >&2
    exit 1
fi
export RMH_DIR=${RMH_DIR:-/tmp/rm-harness}
bash "$harness/slurm-up.sh" </dev/null
bash "$harness/sge-up.sh" </dev/null
