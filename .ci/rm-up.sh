#!/usr/bin/env bash
# Brings up on this host what the tests submit to: SLURM, Grid Engine and an
# sshd on 127.0.0.1:2222, the simulated 3-node cluster (the scripts in
# .ci/rm), Open MPI for the MPI units, tcpdump for the link's capture
# test and a headless chromium for the report test. Runs as root, installs
# the Debian packages on first use, reads no stdin. With everything up it only checks and returns.
# .ci/rm-down.sh stops it all again.
set -euo pipefail
cd "$(dirname "$0")/rm"
bash slurm-up.sh </dev/null
bash sge-up.sh </dev/null
bash sshd-up.sh </dev/null
bash cluster-up.sh </dev/null
bash browser-up.sh </dev/null
# shellcheck source-path=SCRIPTDIR/rm
. common.sh
install_packages openmpi-bin tcpdump
