#!/usr/bin/env bash
# Stops what slurm-up.sh started and removes its config and state. Jobs are
# cancelled first, so that no job process outlives its slurmd.
set -euo pipefail
# shellcheck source-path=SCRIPTDIR
. "$(dirname "$0")/common.sh"

conf=/etc/slurm/slurm.conf
marker="# Written by pilot's .ci/rm/slurm-up.sh; edits are overwritten."
dir=$PILOT_RM_DIR/slurm
saved=$conf.before-pilot

no_jobs_running() { [ -z "$(squeue -h -t R,CG,S)" ]; }

if running "$dir/slurmctld.pid" /usr/sbin/slurmctld && running "$dir/slurmd.pid" /usr/sbin/slurmd; then
    squeue -h -o %A | sort -u | xargs -r scancel || true
    wait_until 30 "cancelled jobs to end" no_jobs_running || true
fi
stop "$dir/slurmd.pid" /usr/sbin/slurmd
stop "$dir/slurmctld.pid" /usr/sbin/slurmctld
stop "$dir/munged.pid" /usr/sbin/munged
if [ -e "$conf" ] && grep -qxF "$marker" "$conf"; then rm -f "$conf"; fi
if [ -e "$saved" ] && [ ! -e "$conf" ]; then
    note "putting back the SLURM config slurm-up.sh moved aside"
    mv "$saved" "$conf"
fi
rm -rf "$dir"
note "SLURM down"
