#!/usr/bin/env bash
# Stops the simulated cluster of cluster-up.sh and removes what it made:
# the nodes with everything running on them, the cluster's slurmctld and
# munged, the bridge, veths and network namespaces, its lines in /etc/hosts
# and ~/.ssh/config, the mount points it made and its state. The
# single-host SLURM, Grid Engine and sshd are left alone; packages stay
# installed. Does nothing where nothing is up.
set -euo pipefail
# shellcheck source-path=SCRIPTDIR
. "$(dirname "$0")/cluster-common.sh"
export SLURM_CONF=$conf

jobs_ended() { [ -z "$(squeue -h -t R,CG,S 2>/dev/null)" ]; }

# Jobs are cancelled first, so that they end as jobs end on a real cluster
# (their processes are told, then killed by their slurmstepd).
if running "$cluster_dir/slurmctld.pid" /usr/sbin/slurmctld && [ -e "$conf" ]; then
    squeue -h -o %A 2>/dev/null | sort -u | xargs -r scancel 2>/dev/null || true
    wait_until 15 "cancelled jobs to end" jobs_ended || true
fi

# A node ends with its init: the kernel kills every process of a PID
# namespace whose init dies (slurmd, sshd, munged, jobs, ssh sessions).
for node in "${nodes[@]}"; do
    if init=$(node_init "$node"); then
        note "stopping $node"
        kill -KILL "$init"
        wait_until 10 "$node to end" test ! -d "/proc/$init" || note "$node (pid $init) did not end"
    fi
done

# Both at once: this host's init may take a second or two to reap each.
stop "$cluster_dir/slurmctld.pid" /usr/sbin/slurmctld &
stop "$runtime/munge/munged.pid" /usr/sbin/munged &
wait

# The network. Processes that entered only a node's network namespace
# (ip netns exec, say) are the cluster's too.
for node in "${nodes[@]}"; do
    netns=$(node_netns "$node")
    if [ -e "/run/netns/$netns" ]; then
        ip netns pids "$netns" 2>/dev/null | xargs -r kill -KILL 2>/dev/null || true
        ip netns del "$netns"
    fi
    # Gone with the namespace, or soon after.
    ip link del "$(node_veth "$node")" 2>/dev/null || true
done
if ip link show "$bridge" >/dev/null 2>&1; then
    if [ "$(cat "/sys/class/net/$bridge/ifalias")" = "$marker" ]; then
        ip link del "$bridge"
    else
        note "leaving the bridge $bridge alone: cluster-up.sh did not make it"
    fi
fi

# /etc/hosts in place (see cluster-up.sh), and the ~/.ssh/config block.
if grep -qF " $marker" /etc/hosts; then
    rest=$(grep -vF " $marker" /etc/hosts || true)
    printf '%s\n' "$rest" >/etc/hosts
fi
begin="# >>> pilot .ci/rm/cluster-up.sh >>>"
end="# <<< pilot .ci/rm/cluster-up.sh <<<"
if [ -f ~/.ssh/config ] && grep -qxF "$begin" ~/.ssh/config; then
    rest=$(awk -v b="$begin" -v e="$end" '$0 == b { skip = 1 } !skip { print } $0 == e { skip = 0 }' ~/.ssh/config)
    if [ -n "$rest" ]; then printf '%s\n' "$rest" >~/.ssh/config; else rm -f ~/.ssh/config; fi
fi

# Mount points cluster-up.sh made, if nothing was put in them since.
if [ -f "$cluster_dir/made" ]; then
    while read -r path; do rmdir "$path" 2>/dev/null || true; done <"$cluster_dir/made"
fi
rm -rf "$runtime" "$cluster_dir"
note "cluster down"
