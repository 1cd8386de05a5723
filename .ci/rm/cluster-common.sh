# shellcheck shell=bash disable=SC2034
# Sourced by the cluster-*.sh scripts, never run on its own: the names,
# addresses and paths of the simulated cluster, which the login host's side
# (cluster-up.sh, cluster-down.sh, cluster-check.sh) and the node's side
# (cluster-node.sh) must agree on.
#
# The cluster: this host is the login host; node1..node3 are each a network
# namespace (own interfaces and loopback) plus UTS, IPC, mount and PID
# namespaces, so that on a node `hostname`, `ps`, 127.0.0.1, /run and a few
# directories are the node's own while the rest of the file system is
# shared, as a cluster shares its home and work file systems.
# shellcheck source-path=SCRIPTDIR
. "$(dirname "${BASH_SOURCE[0]}")/common.sh"

cluster_dir=$PILOT_RM_DIR/cluster
nodes=(node1 node2 node3)

# A network of the cluster's own: a bridge on this host at .1, and nodeN at
# .(10+N) behind a veth pair. The /24 must be unused on this machine.
subnet=10.47.0
login_ip=$subnet.1
bridge=pilotbr0
node_ip() { echo "$subnet.$((10 + ${1#node}))"; }
node_netns() { echo "pilot-$1"; }
node_veth() { echo "pilot-v${1#node}"; }

# Ports of this cluster's SLURM. The single-host SLURM of slurm-up.sh has
# 6817/6818 on every address of this host; ours listens on $login_ip only,
# but other ports keep the two apart even where that does not hold.
ctld_port=6837
slurmd_port=6838
# The cluster's SLURM configuration. On the nodes this directory is
# /etc/slurm (a bind mount), so commands run there need no SLURM_CONF.
conf_dir=$cluster_dir/etc
conf=$conf_dir/slurm.conf

# A directory for sockets and pid files on every host: on the login host
# it is this host's /run; each node has a /run of its own. munged listens
# there, so every host talks to its own munged, as on a real cluster.
runtime=/run/pilot-cluster
munge_socket=$runtime/munge/munge.socket.2

# Marks what cluster-up.sh writes into files it shares with others.
marker="# pilot .ci/rm/cluster-up.sh"

# node_init NODE: the pid (in this host's PID namespace) of the node's
# init, the process that holds its namespaces; fails if it is not running.
# Its PID namespace is checked too: pids are soon reused on a busy host.
node_init() {
    local pid
    running "$cluster_dir/$1/init.pid" /usr/bin/python3 || return 1
    pid=$(cat "$cluster_dir/$1/init.pid")
    [ "$(readlink "/proc/$pid/ns/pid")" = "$(cat "$cluster_dir/$1/init.ns" 2>/dev/null)" ] || return 1
    echo "$pid"
}

# in_node NODE COMMAND...: run COMMAND on NODE (in all its namespaces), with
# a clean environment, as the node's own daemons and ssh sessions run.
in_node() {
    local init
    init=$(node_init "$1") || { note "$1 is not running"; return 1; }
    shift
    nsenter --target "$init" --net --uts --ipc --mount --pid --wd=/ -- \
        env -i PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin \
        LANG=C.UTF-8 HOME="$HOME" PILOT_RM_DIR="$PILOT_RM_DIR" "$@"
}

# munge_works: the munged of this host (or node) answers on $munge_socket.
munge_works() { munge -S "$munge_socket" -n </dev/null | unmunge -S "$munge_socket" >/dev/null; }

# start_munged NAME: start a munged with the cluster's key on
# $munge_socket, logging to log/munged-NAME.log, unless one answers there.
# Every host of the cluster runs one with the same key, as on a real one.
start_munged() {
    local log=$cluster_dir/log/munged-$1.log
    munge_works 2>/dev/null && return 0
    install -d -o munge -g munge -m 0755 "$runtime/munge"
    mkdir -p "$cluster_dir/log"
    touch "$log"
    chown munge:munge "$log"
    rm -f "$runtime/munge/munged.pid"
    # munged refuses to run as root; it daemonizes once its socket is ready.
    runuser -u munge -- /usr/sbin/munged --socket="$munge_socket" \
        --key-file="$cluster_dir/munge.key" --pid-file="$runtime/munge/munged.pid" \
        --seed-file="$runtime/munge/munged.seed" --log-file="$log" </dev/null >/dev/null 2>&1 ||
        fail "munged ($1) did not start; see $log"
    wait_until 15 "munged ($1)" munge_works || fail "munged ($1) does not answer; see $log"
}
