#!/usr/bin/env bash
# A simulated cluster on this host, to run the pilot as it runs on a real
# one: this host is the login host, and node1..node3 are "hosts" made of
# Linux namespaces (see cluster-common.sh) on a network of their own,
# 10.47.0.0/24 on the bridge pilotbr0, which is their only way to the login
# host (10.47.0.1 there). Every node runs a munged, a slurmd and an sshd;
# the login host runs the cluster's slurmctld and a munged of its own. This
# SLURM is not slurm-up.sh's (other config, ports and munge key), and
# clients choose it with SLURM_CONF:
#     . "${PILOT_RM_DIR:-/tmp/pilot-rm}/cluster/cluster.env"
# `ssh node2` logs in as root (an /etc/hosts line and a ~/.ssh/config block).
#
# Read when the cluster starts (a change starts it afresh):
#   PILOT_CLUSTER_PRIVATE  directories each node has an empty one of its own
#       of (default: ${TMPDIR:-/tmp}/pilot-<uid>, where coordinators keep
#       their sockets)
#   PILOT_CLUSTER_ABSENT   directories the nodes see empty and read-only, for
#       software only the login host has (default: /opt/swift)
#   PILOT_CLUSTER_SCRATCH_MB  size of each node's own /scratch (default 3072: a
#                             1 GB data unit and its copies fit; tmpfs takes RAM only as filled)
#
# Runs as root, installs the Debian packages on first use, reads no stdin.
# With everything up it only checks (and repairs what is missing).
# cluster-down.sh removes it all again.
set -euo pipefail
# shellcheck source-path=SCRIPTDIR
. "$(dirname "$0")/cluster-common.sh"
here=$(cd "$(dirname "$0")" && pwd)
started=${EPOCHREALTIME/./}

install_packages munge slurm-wlm openssh-server openssh-client iproute2 python3
resolve_hostname
export SLURM_CONF=$conf

private=${PILOT_CLUSTER_PRIVATE-${TMPDIR:-/tmp}/pilot-$(id -u)}
absent=${PILOT_CLUSTER_ABSENT-/opt/swift}
scratch_mb=${PILOT_CLUSTER_SCRATCH_MB:-3072}
[[ $scratch_mb =~ ^[1-9][0-9]*$ ]] || fail "PILOT_CLUSTER_SCRATCH_MB must be a number of MB, not '$scratch_mb'"
for path in $private $absent; do
    [[ $path == /?* ]] || fail "'$path' is not an absolute path"
    case $path in
        /tmp | /root | /home | /etc | /usr | /proc | /sys | /dev | "$PILOT_RM_DIR"*)
            fail "the nodes need $path; it cannot be private or absent" ;;
    esac
done
# Software that is not here is not on the nodes either.
present=""
for path in $absent; do
    if [ -d "$path" ]; then present+=" $path"; else note "$path is not a directory here; nothing to hide"; fi
done
absent=${present# }

login_name=$(hostname -s)
cpus=$(nproc)
# Each node sees all of this host's memory; together they claim no more.
memory=$(awk -v n=${#nodes[@]} '/^MemTotal:/ { print int($2 / 1024 * 0.9 / n) }' /proc/meminfo)

# The files the cluster runs on, as they should be.
slurm_conf=$(
    cat <<CONF
# Written by pilot's .ci/rm/cluster-up.sh; edits are overwritten.
# The simulated cluster: use it with SLURM_CONF=$conf
# (on the nodes this is /etc/slurm/slurm.conf).
ClusterName=pilotcluster
# The controller is the login host, under its own name, at its address on
# the cluster network, where the nodes reach it. It listens on all of the
# login host's addresses: with NoCtldInAddrAny it would listen only where
# the login host's name resolves to, often 127.0.0.1.
SlurmctldHost=$login_name($login_ip)
SlurmctldPort=$ctld_port
SlurmdPort=$slurmd_port
$(for node in "${nodes[@]}"; do
        echo "NodeName=$node NodeAddr=$(node_ip "$node") CPUs=$cpus RealMemory=$memory State=UNKNOWN"
    done)
PartitionName=debug Nodes=node[1-${#nodes[@]}] Default=YES MaxTime=INFINITE State=UP
SlurmUser=root
AuthType=auth/munge
# Each host's own munged (see cluster-common.sh), not the login host's
# system one, which slurm-up.sh may stop.
AuthInfo=socket=$munge_socket
$(slurm_shared_settings "$cluster_dir")
StateSaveLocation=$cluster_dir/state
SlurmctldPidFile=$cluster_dir/slurmctld.pid
SlurmctldLogFile=$cluster_dir/log/slurmctld.log
# A node's spool and pid file are on its own /run, its log on the shared
# file system (%n: the node's name) where the login host can read it.
SlurmdSpoolDir=$runtime/slurmd
SlurmdPidFile=$runtime/slurmd.pid
SlurmdLogFile=$cluster_dir/log/slurmd-%n.log
CONF
)
# /etc/hosts on the nodes. The login host's own name means the login host,
# so that a job can call back to \$SLURM_SUBMIT_HOST; "login" is short.
node_hosts=$(
    echo "# Written by pilot's .ci/rm/cluster-up.sh: /etc/hosts on the simulated nodes."
    echo "127.0.0.1 localhost"
    echo "::1 localhost ip6-localhost ip6-loopback"
    echo "$login_ip $login_name login"
    for node in "${nodes[@]}"; do echo "$(node_ip "$node") $node"; done
)
sshd_config=$(
    cat <<CONF
# Written by pilot's .ci/rm/cluster-up.sh for the nodes' sshds, which are
# given ListenAddress, HostKey and PidFile on their command lines.
Port 22
AuthorizedKeysFile $cluster_dir/ssh/authorized_keys
PermitRootLogin prohibit-password
PasswordAuthentication no
KbdInteractiveAuthentication no
# As in sshd-up.sh: no PAM (no logind in containers), key files under a
# world-writable TMPDIR, many connections at once.
UsePAM no
StrictModes no
UseDNS no
MaxStartups 100:30:200
MaxSessions 100
Subsystem sftp internal-sftp
CONF
)
env_file=$(
    cat <<ENV
# Written by pilot's .ci/rm/cluster-up.sh. Source it to use the simulated
# cluster's SLURM from the login host; the PILOT_CLUSTER_ values are those
# the cluster was started with.
export SLURM_CONF=$conf
PILOT_CLUSTER_NODES="${nodes[*]}"
PILOT_CLUSTER_LOGIN=$login_ip
PILOT_CLUSTER_PRIVATE="$private"
PILOT_CLUSTER_ABSENT="$absent"
PILOT_CLUSTER_SCRATCH_MB=$scratch_mb
ENV
)

# A cluster started with other settings (or by an older version of this
# script) is stopped first rather than patched.
spec=$(printf '%s\n' "$slurm_conf" "$node_hosts" "$sshd_config" "$env_file")
if [ -e "$cluster_dir/spec" ] && [ "$(cat "$cluster_dir/spec")" != "$spec" ]; then
    note "the cluster's configuration changed; starting it afresh"
    bash "$here/cluster-down.sh" </dev/null
fi
mkdir -p "$cluster_dir/log" "$cluster_dir/state" "$conf_dir"
update_file "$conf" <<<"$slurm_conf" || true
update_file "$cluster_dir/hosts" <<<"$node_hosts" || true
update_file "$cluster_dir/cluster.env" <<<"$env_file" || true
update_file "$cluster_dir/spec" <<<"$spec" || true

# The network: the bridge carries a marker as its alias, so that a bridge
# of that name that is not ours is never changed or removed.
if ! ip link show "$bridge" >/dev/null 2>&1; then
    used=$(ip -4 -o addr show to "$subnet.0/24" | awk '{ print $2 }' | sort -u | tr '\n' ' ')
    [ -z "$used" ] || fail "$subnet.0/24 is in use on $used"
    ip link add "$bridge" type bridge
    ip link set "$bridge" alias "$marker"
fi
[ "$(cat "/sys/class/net/$bridge/ifalias")" = "$marker" ] || fail "a bridge $bridge exists that cluster-up.sh did not make"
ip addr replace "$login_ip/24" dev "$bridge"
ip link set "$bridge" up
for node in "${nodes[@]}"; do
    netns=$(node_netns "$node")
    veth=$(node_veth "$node")
    [ -e "/run/netns/$netns" ] || ip netns add "$netns"
    if ! ip -n "$netns" link show eth0 >/dev/null 2>&1; then
        ip link del "$veth" 2>/dev/null || true
        ip link add "$veth" type veth peer name eth0 netns "$netns"
    fi
    ip -n "$netns" addr replace "$(node_ip "$node")/24" dev eth0
    ip -n "$netns" link set lo up
    ip -n "$netns" link set eth0 up
    ip link set "$veth" master "$bridge" up
done

# The nodes' names on the login host, as a cluster's DNS would give them.
# /etc/hosts is rewritten in place: in a container it is often a bind
# mount, which a renamed file would not replace.
want=$(for node in "${nodes[@]}"; do echo "$(node_ip "$node") $node $marker"; done)
if [ "$(grep -F " $marker" /etc/hosts || true)" != "$want" ]; then
    rest=$(grep -vF " $marker" /etc/hosts || true)
    printf '%s\n%s\n' "$rest" "$want" >/etc/hosts
fi
for node in "${nodes[@]}"; do
    address=$(getent ahostsv4 "$node" | awk '{ print $1; exit }')
    [ "$address" = "$(node_ip "$node")" ] || fail "$node is $address here, not $(node_ip "$node"): another line in /etc/hosts names it"
done

# ssh: a client key for root, a host key per node (known in advance, so
# clients check them strictly), and a ~/.ssh/config block for the nodes.
keys=$cluster_dir/ssh
install -d -m 700 "$keys"
[ -s "$keys/id_ed25519" ] || ssh-keygen -q -t ed25519 -N '' -C "pilot cluster client key" -f "$keys/id_ed25519"
for node in "${nodes[@]}"; do
    [ -s "$keys/host_key_$node" ] || ssh-keygen -q -t ed25519 -N '' -C "pilot cluster $node host key" -f "$keys/host_key_$node"
done
update_file "$keys/authorized_keys" <"$keys/id_ed25519.pub" || true
for node in "${nodes[@]}"; do
    echo "$node,$(node_ip "$node") $(cut -d ' ' -f 1,2 "$keys/host_key_$node.pub")"
done | update_file "$keys/known_hosts" || true
update_file "$keys/sshd_config" <<<"$sshd_config" || true
install -d -m 0755 /run/sshd
/usr/sbin/sshd -t -f "$keys/sshd_config" -o ListenAddress="$(node_ip node1)" \
    -o HostKey="$keys/host_key_node1" -o PidFile=none || fail "sshd rejects $keys/sshd_config"
begin="# >>> pilot .ci/rm/cluster-up.sh >>>"
end="# <<< pilot .ci/rm/cluster-up.sh <<<"
block=$(
    echo "$begin"
    echo "Host ${nodes[*]}" "$(for node in "${nodes[@]}"; do node_ip "$node"; done | paste -sd ' ')"
    echo "    User root"
    echo "    IdentityFile $keys/id_ed25519"
    echo "    UserKnownHostsFile $keys/known_hosts"
    echo "    StrictHostKeyChecking yes"
    echo "    BatchMode yes"
    echo "    ConnectTimeout 10"
    echo "Host *"
    echo "$end"
)
install -d -m 700 ~/.ssh
touch ~/.ssh/config
# The block goes first (ssh takes the first value it finds for an option)
# and ends in `Host *`, as sshd-up.sh's does; where it is already, as it
# should be, it stays, so that this script and sshd-up.sh, which put their
# blocks first, do not move the file back and forth.
if [ "$(awk -v b="$begin" -v e="$end" '$0 == b { keep = 1 } keep { print } $0 == e { keep = 0 }' ~/.ssh/config)" != "$block" ]; then
    rest=$(awk -v b="$begin" -v e="$end" '$0 == b { skip = 1 } !skip { print } $0 == e { skip = 0 }' ~/.ssh/config)
    { printf '%s\n' "$block"; [ -z "$rest" ] || printf '%s\n' "$rest"; } | update_file ~/.ssh/config || true
fi
chmod 600 ~/.ssh/config

# The mount points on the login host for what each node has of its own.
# /scratch and a private directory that does not exist yet are made here
# and removed by cluster-down.sh (if still empty).
for path in /scratch $private; do
    if [ ! -d "$path" ]; then
        install -d -m 0700 "$path"
        echo "$path" >>"$cluster_dir/made"
    fi
done
chmod 1777 /scratch

# The login host's munged and slurmctld.
install -d -m 0755 "$runtime"
if [ ! -s "$cluster_dir/munge.key" ]; then
    (umask 077 && head -c 1024 /dev/urandom >"$cluster_dir/munge.key")
    chown munge:munge "$cluster_dir/munge.key"
fi
start_munged login
if ! running "$cluster_dir/slurmctld.pid" /usr/sbin/slurmctld; then
    (exec 3<>"/dev/tcp/$login_ip/$ctld_port") 2>/dev/null && fail "another process listens on $login_ip:$ctld_port"
    # -i: start even if the state saved by an earlier run no longer fits.
    /usr/sbin/slurmctld -i -f "$conf" </dev/null >>"$cluster_dir/log/slurmctld.out" 2>&1 ||
        fail "slurmctld did not start; see $cluster_dir/log"
fi
wait_until 30 slurmctld scontrol ping || fail "slurmctld does not answer; see $cluster_dir/log/slurmctld.log"

# The nodes. A node's namespaces are made by unshare and held by its init,
# pid 1 of the node's PID namespace, which reaps orphans like an init;
# everything on the node is started in those namespaces (in_node), so that
# killing the init ends the whole node. cluster-node.sh does the rest.
reaper='import os, time
while True:
    try:
        os.wait()
    except ChildProcessError:
        time.sleep(1)'
for node in "${nodes[@]}"; do
    netns=$(node_netns "$node")
    mkdir -p "$cluster_dir/$node"
    if init=$(node_init "$node") &&
        [ "$(stat -L -c %i "/proc/$init/ns/net")" != "$(stat -L -c %i "/run/netns/$netns")" ]; then
        note "$node lost its network namespace; starting it again"
        kill -KILL "$init"
        wait_until 10 "$node to end" test ! -d "/proc/$init" || fail "$node (pid $init) does not end"
    fi
    if ! node_init "$node" >/dev/null; then
        note "starting $node"
        setsid nsenter --net="/run/netns/$netns" -- unshare --uts --ipc --mount --pid --fork --kill-child \
            --propagation private -- env -i /usr/bin/python3 -c "$reaper" \
            </dev/null >>"$cluster_dir/log/init-$node.log" 2>&1 &
        holder=$!
        wait_until 10 "$node's init" pgrep -P "$holder" || fail "$node did not start; see $cluster_dir/log/init-$node.log"
        init=$(pgrep -P "$holder")
        readlink "/proc/$init/ns/pid" >"$cluster_dir/$node/init.ns"
        echo "$init" >"$cluster_dir/$node/init.pid"
        wait_until 10 "$node's init" node_init "$node" || fail "$node did not start; see $cluster_dir/log/init-$node.log"
    fi
    in_node "$node" bash "$here/cluster-node.sh" "$node" </dev/null
done

nodes_up() { [ "$(sinfo -h -N -o '%N %t' | grep -cE ' (idle|mix|alloc|comp)$')" = ${#nodes[@]} ]; }
wait_until 60 "the nodes in SLURM" nodes_up || fail "not all nodes are up: $(sinfo -N -h -o '%N %T %E' 2>&1 | tr '\n' ';')"
for node in "${nodes[@]}"; do
    wait_until 20 "sshd on $node" bash -c "exec 3<>/dev/tcp/$(node_ip "$node")/22" ||
        fail "sshd on $node does not answer; see $cluster_dir/log/sshd-$node.log"
done
tenths=$(((${EPOCHREALTIME/./} - started) / 100000))
note "cluster up in $((tenths / 10)).$((tenths % 10)) s: ${nodes[*]} ($(node_ip node1)..) under slurmctld at $login_ip:$ctld_port; use it with: . $cluster_dir/cluster.env"
