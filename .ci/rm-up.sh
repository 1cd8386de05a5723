#!/bin/bash
# Starts the resource managers the tests run against (SLURM, Grid Engine and
# an sshd on 127.0.0.1:2222) through the team's rm-harness, and installs Open MPI for the
# MPI tests. Idempotent: with everything up it returns at once.
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
bash "$harness/sshd-up.sh" </dev/null
# MPI units are tested inside a SLURM pilot with Debian's Open MPI.
if ! command -v mpirun >/dev/null; then
    DEBIAN_FRONTEND=noninteractive apt-get install -y -q openmpi-bin </dev/null >/dev/null
fi
