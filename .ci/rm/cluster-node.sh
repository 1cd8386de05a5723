#!/usr/bin/env bash
# The node's side of the simulated cluster: cluster-up.sh runs this on each
# node, inside the node's namespaces (in_node NODE bash cluster-node.sh
# NODE), when the node starts and again on every later run. It makes the
# node's own view of the file system and starts the node's munged, slurmd
# and sshd, doing only what is missing. Not for running by hand.
set -euo pipefail
# shellcheck source-path=SCRIPTDIR
. "$(dirname "$0")/cluster-common.sh"

node=${1:?usage: cluster-node.sh NODE}
ip=$(node_ip "$node")
# shellcheck source=/dev/null
. "$cluster_dir/cluster.env"

# The mounts below would hide the login host's own directories from
# itself: refuse to run anywhere but on the node.
ip -4 -o addr show dev eth0 2>/dev/null | grep -qF " $ip/" || fail "this is not $node (no $ip on eth0)"

# The node has a PID namespace of its own, but until a proc file system is
# mounted for it, /proc shows the login host's processes (and /proc/self
# is not this shell).
read -r self _ </proc/self/stat
[ "$self" = "$$" ] || mount -t proc -o nosuid,nodev,noexec proc /proc

# The login host's /run/netns/* came along into the node's mount namespace
# as mounts that keep those network namespaces alive; drop them, so that
# deleting a node's network namespace on the login host really deletes it.
{ findmnt -rn -t nsfs -o TARGET || true; } | while read -r target; do umount -l "$target" || true; done

[ "$(hostname)" = "$node" ] || hostname "$node"

# on_top PATH LABEL: the file system mounted last on PATH (the one the
# node sees) is a tmpfs mounted by this script under LABEL.
on_top() { [ "$(findmnt -rn -o SOURCE,FSTYPE --mountpoint "$1" | tail -n 1)" = "$2 tmpfs" ]; }

# own_dir PATH MODE SIZE: the node gets an empty directory of its own at
# PATH, which neither the login host nor the other nodes see. The mount
# goes if the login host removes its PATH (the kernel then detaches it
# here too); the next run of cluster-up.sh mounts it again.
own_dir() {
    # Already there: only its size may have changed (a tmpfs resizes in place).
    on_top "$1" pilot-local && { mount -o remount,size="$3" "$1"; return 0; }
    mkdir -p "$1"
    mount -t tmpfs -o "mode=$2,size=$3,nosuid,nodev" pilot-local "$1"
}

# absent_dir PATH: the node sees PATH empty and read-only, like software
# installed on the login host only.
absent_dir() {
    on_top "$1" pilot-absent && return 0
    mount -t tmpfs -o ro,mode=0755,size=4k,nosuid,nodev pilot-absent "$1"
}

# bind FILE PATH: the node sees FILE (a file or directory of the cluster's
# state) at PATH.
bind() {
    [ "$(stat -c %d:%i "$1")" = "$(stat -c %d:%i "$2")" ] && return 0
    mount --bind "$1" "$2"
}

# /run: the node's own, so that the login host's daemons' sockets in its
# /run (munge, databases, ...) are not on the node.
own_dir /run 0755 64m
install -d -m 0755 /run/sshd "$runtime" "$runtime/slurmd"
install -d -m 1777 /run/lock
own_dir /dev/shm 1777 1g
# Node-local scratch space.
own_dir /scratch 1777 "${PILOT_CLUSTER_SCRATCH_MB}m"
# Where coordinators keep their session sockets: a socket file does not
# connect across hosts, so no node may find the login host's there.
for path in $PILOT_CLUSTER_PRIVATE; do own_dir "$path" 0700 256m; done
for path in $PILOT_CLUSTER_ABSENT; do absent_dir "$path"; done
# Name resolution as the nodes see it (the login host's own name is its
# address on the cluster network here), and the cluster's SLURM config as
# the node's /etc/slurm.
bind "$cluster_dir/hosts" /etc/hosts
bind "$conf_dir" /etc/slurm

start_munged "$node"

if ! running "$runtime/slurmd.pid" /usr/sbin/slurmd; then
    # Its node name comes from the hostname and its config from /etc/slurm,
    # as on a real node. It forks into the background.
    /usr/sbin/slurmd </dev/null >>"$cluster_dir/log/slurmd-$node.out" 2>&1 ||
        fail "slurmd on $node did not start; see $cluster_dir/log/slurmd-$node.log"
fi

if ! running "$runtime/sshd.pid" /usr/sbin/sshd; then
    # One config for all nodes; what differs is given here. sshd needs its
    # absolute path (it re-executes itself).
    /usr/sbin/sshd -f "$cluster_dir/ssh/sshd_config" -o ListenAddress="$ip" \
        -o HostKey="$cluster_dir/ssh/host_key_$node" -o PidFile="$runtime/sshd.pid" \
        -E "$cluster_dir/log/sshd-$node.log" </dev/null >/dev/null 2>&1 ||
        fail "sshd on $node did not start; see $cluster_dir/log/sshd-$node.log"
fi
