#!/usr/bin/env bash
# Stops what .ci/rm-up.sh started (only the daemons it started, and the
# simulated cluster) and removes their state. Packages stay installed.
set -euo pipefail
cd "$(dirname "$0")/rm"
bash cluster-down.sh </dev/null
bash sshd-down.sh </dev/null
bash sge-down.sh </dev/null
bash slurm-down.sh </dev/null
