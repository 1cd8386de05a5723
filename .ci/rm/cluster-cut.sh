#!/usr/bin/env bash
# cluster-cut.sh NODE: cuts one node of the simulated cluster off, as a
# node that crashes or drops off the network: its link goes down and every
# process on it is killed at once (its init, and so its PID namespace).
# cluster-up.sh brings it back.
set -euo pipefail
# shellcheck source-path=SCRIPTDIR
. "$(dirname "$0")/cluster-common.sh"
node=${1:-}
[[ " ${nodes[*]} " == *" $node "* ]] || fail "usage: cluster-cut.sh NODE, with NODE one of ${nodes[*]}"
ip -n "$(node_netns "$node")" link set eth0 down
if init=$(node_init "$node"); then
    kill -KILL "$init"
    wait_until 10 "$node to end" test ! -d "/proc/$init" || fail "$node (pid $init) does not end"
fi
note "$node is cut off (link down, every process killed); bash $(dirname "$0")/cluster-up.sh brings it back"
