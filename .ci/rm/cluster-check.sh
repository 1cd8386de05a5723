#!/usr/bin/env bash
# Checks that the simulated cluster of cluster-up.sh is what it claims to
# be: the nodes' own names and addresses; SLURM over all nodes; ssh to and
# between nodes; what the nodes do not see of the login host (its
# 127.0.0.1, its sockets in hidden directories, its /run, its processes,
# software only it has); each node's own /scratch; and that the login
# host's cluster address does reach it. Prints a line per check and exits
# non-zero if any fails. Runs one job, and changes nothing but its own
# temporary files.
# Commands for the nodes are single-quoted: they expand there.
# shellcheck disable=SC2016
set -euo pipefail
# shellcheck source-path=SCRIPTDIR
. "$(dirname "$0")/cluster-common.sh"

[ -s "$cluster_dir/cluster.env" ] || fail "no $cluster_dir/cluster.env: is the cluster up (cluster-up.sh)?"
# shellcheck source=/dev/null
. "$cluster_dir/cluster.env"

failures=0
pass() { printf 'ok    %s\n' "$1"; }
flunk() { printf 'FAIL  %s\n' "$1"; failures=$((failures + 1)); }
# check WHAT COMMAND...: COMMAND succeeds.
check() {
    local what=$1
    shift
    if "$@"; then pass "$what"; else flunk "$what"; fi
}

# Scratch files on the shared file system, so that jobs can write there.
work=$(mktemp -d "$cluster_dir/check.XXXXXX")
listeners=()
probes=()
cleanup() {
    [ ${#listeners[@]} = 0 ] || kill "${listeners[@]}" 2>/dev/null || true
    rm -rf "$work" "${probes[@]}"
}
trap cleanup EXIT

# listen ADDRESS NAME: a TCP listener of this script's on the login host
# at ADDRESS (any port) that greets every connection with "NAME <peer
# address>"; its port is put in $port.
listen() {
    /usr/bin/python3 -c '
import os, socket, sys
server = socket.create_server((sys.argv[1], 0))
with open(sys.argv[2] + ".tmp", "w") as f:
    f.write(str(server.getsockname()[1]))
os.rename(sys.argv[2] + ".tmp", sys.argv[2])
while True:
    connection, peer = server.accept()
    connection.sendall(("%s %s\n" % (sys.argv[3], peer[0])).encode())
    connection.close()
' "$1" "$work/$2.port" "$2" </dev/null >/dev/null 2>&1 &
    listeners+=($!)
    wait_until 10 "the $2 listener" test -s "$work/$2.port" || fail "could not listen on $1"
    port=$(cat "$work/$2.port")
}
# greeting NODE HOST PORT: what NODE gets when it connects to HOST:PORT
# (nothing if it cannot connect).
greeting() { in_node "$1" timeout 5 bash -c 'exec 3<>"/dev/tcp/$0/$1" && head -n 1 <&3' "$2" "$3" 2>/dev/null || true; }
sorted() { tr ' ' '\n' | sed '/^$/d' | sort | tr '\n' ' '; }

echo "== names and addresses"
check "the login host has $login_ip on $bridge" \
    bash -c "ip -4 -o addr show dev $bridge | grep -qF ' $login_ip/24 '"
for node in "${nodes[@]}"; do
    ip=$(node_ip "$node")
    check "$node's hostname is $node" test "$(in_node "$node" hostname)" = "$node"
    check "$node has $ip on eth0 and 127.0.0.1 on lo, and no other IPv4 address" \
        test "$(in_node "$node" ip -4 -o addr show | awk '{ print $2, $4 }' | sort | tr '\n' ' ')" = "eth0 $ip/24 lo 127.0.0.1/8 "
    check "$node is $ip on the login host" test "$(getent ahostsv4 "$node" | awk '{ print $1; exit }')" = "$ip"
done

echo "== SLURM (SLURM_CONF=$SLURM_CONF)"
check "sinfo: ${nodes[*]} up" \
    test "$(sinfo -h -N -o '%N %t' | sed -E 's/ (idle|mix|alloc|comp)$/ up/' | sort | tr '\n' ' ')" = "$(printf '%s up ' "${nodes[@]}")"
check "this is cluster pilotcluster, not the single-host SLURM" \
    test "$(scontrol show config | awk '$1 == "ClusterName" { print $3 }')" = pilotcluster
check "on node1, plain SLURM commands (no SLURM_CONF) use it too" \
    test "$(in_node node1 scontrol show config | awk '$1 == "ClusterName" { print $3 }')" = pilotcluster
(cd "$work" && timeout 120 sbatch --wait -N "${#nodes[@]}" -o "$work/srun.out" --wrap 'srun hostname' >/dev/null 2>"$work/sbatch.err") || true
got=$(sorted <"$work/srun.out" 2>/dev/null || true)
if [ "$got" = "$(echo "${nodes[*]}" | sorted)" ]; then
    pass "sbatch -N${#nodes[@]} --wrap 'srun hostname' ran on ${nodes[*]}"
else
    flunk "sbatch -N${#nodes[@]} --wrap 'srun hostname' printed '$got' ($(cat "$work/sbatch.err"))"
fi

echo "== ssh"
for node in "${nodes[@]}"; do
    check "ssh $node hostname prints $node" test "$(ssh -n "$node" hostname 2>/dev/null)" = "$node"
done
check "ssh from node1 to node3 (shared home, same keys)" test "$(ssh -n node1 ssh -n node3 hostname 2>/dev/null)" = node3

echo "== what the nodes do not see of the login host"
listen 127.0.0.1 loopback
check "a listener on the login host's 127.0.0.1 answers there" \
    bash -c "exec 3<>/dev/tcp/127.0.0.1/$port"
for node in "${nodes[@]}"; do
    check "$node cannot reach it, at 127.0.0.1 or $login_ip" \
        test -z "$(greeting "$node" 127.0.0.1 "$port")$(greeting "$node" "$login_ip" "$port")"
done
if port_taken 2222; then
    check "node1 cannot reach the login host's sshd on 127.0.0.1:2222" \
        test -z "$(greeting node1 127.0.0.1 2222)$(greeting node1 "$login_ip" 2222)"
fi
for dir in $PILOT_CLUSTER_PRIVATE; do
    # A socket with a listener on it, as a coordinator's session has.
    probes+=("$dir/cluster-check-$$")
    mkdir -p "$dir/cluster-check-$$"
    socket=$dir/cluster-check-$$/agents.sock
    /usr/bin/python3 -c 'import socket, sys, time
s = socket.socket(socket.AF_UNIX); s.bind(sys.argv[1]); s.listen(); time.sleep(120)' "$socket" </dev/null >/dev/null 2>&1 &
    listeners+=($!)
    wait_until 10 "a socket at $socket" test -S "$socket" || fail "could not make $socket"
    check "the login host connects to its socket $socket" \
        /usr/bin/python3 -c 'import socket, sys; socket.socket(socket.AF_UNIX).connect(sys.argv[1])' "$socket"
    for node in "${nodes[@]}"; do
        check "$node does not see the login host's socket $socket (its $dir is its own)" \
            in_node "$node" bash -c '[ ! -e "$0" ] && ! python3 -c "import socket, sys; socket.socket(socket.AF_UNIX).connect(sys.argv[1])" "$0" 2>/dev/null' "$socket"
    done
done
if [ -S /run/munge/munge.socket.2 ]; then
    check "node1 does not see the login host's /run (its munge socket)" in_node node1 test ! -e /run/munge/munge.socket.2
fi
for dir in /run /dev/shm; do
    probes+=("$dir/cluster-check-$$")
    echo login >"$dir/cluster-check-$$"
    check "node1 does not see a file made in the login host's $dir" in_node node1 test ! -e "$dir/cluster-check-$$"
done
# The login host's slurmctld runs, but not where node1 can see it.
own_processes() { pgrep -x slurmctld >/dev/null && ! in_node node1 pgrep -x slurmctld >/dev/null; }
check "node1 sees only its own processes (not the login host's slurmctld)" own_processes
for dir in $PILOT_CLUSTER_ABSENT; do
    for node in "${nodes[@]}"; do
        check "$node has nothing in $dir ($(find "$dir" -mindepth 1 -maxdepth 1 | wc -l) entries on the login host)" \
            in_node "$node" bash -c '[ -z "$(ls -A "$0")" ]' "$dir"
    done
done
if [[ " $PILOT_CLUSTER_ABSENT " == *" /opt/swift "* ]]; then
    check "no swift on node2 (an ssh session's PATH)" ssh -n node2 '! command -v swift && ! test -e /opt/swift/usr/bin/swift'
fi

echo "== each node's own /scratch"
for node in "${nodes[@]}"; do
    in_node "$node" bash -c 'echo "$0" >"/scratch/cluster-check-$1-$0"' "$node" $$
done
for node in "${nodes[@]}"; do
    check "$node sees its own file in /scratch and no other node's" \
        test "$(in_node "$node" bash -c 'cat /scratch/cluster-check-"$0"-*' $$ | tr '\n' ' ')" = "$node "
done
check "the login host sees none of them" bash -c "! ls /scratch/cluster-check-$$-* 2>/dev/null"
for node in "${nodes[@]}"; do in_node "$node" rm -f "/scratch/cluster-check-$$-$node"; done

echo "== the login host over the cluster network"
listen "$login_ip" login
for node in "${nodes[@]}"; do
    check "$node reaches a listener on $login_ip, which sees it as $(node_ip "$node")" \
        test "$(greeting "$node" "$login_ip" "$port")" = "login $(node_ip "$node")"
done

if [ $failures = 0 ]; then
    echo "cluster-check: all checks passed"
else
    echo "cluster-check: $failures check(s) failed"
    exit 1
fi
