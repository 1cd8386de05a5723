#!/usr/bin/env bash
# Stops the sshd of sshd-up.sh and what its sessions still run, and removes
# its block from ~/.ssh/config and its keys.
set -euo pipefail
# shellcheck source-path=SCRIPTDIR
. "$(dirname "$0")/common.sh"

dir=$PILOT_RM_DIR/sshd
begin="# >>> pilot .ci/rm/sshd-up.sh >>>"
end="# <<< pilot .ci/rm/sshd-up.sh <<<"

if running "$dir/sshd.pid" /usr/sbin/sshd; then
    # A session's processes descend from the listener but outlive it.
    mapfile -t sessions < <(descendants "$(cat "$dir/sshd.pid")")
    stop "$dir/sshd.pid" /usr/sbin/sshd
    [ ${#sessions[@]} = 0 ] || kill -KILL "${sessions[@]}" 2>/dev/null || true
fi
if [ -f ~/.ssh/config ]; then
    rest=$(awk -v b="$begin" -v e="$end" '$0 == b { skip = 1 } !skip { print } $0 == e { skip = 0 }' ~/.ssh/config)
    if [ -n "$rest" ]; then printf '%s\n' "$rest" >~/.ssh/config; else rm -f ~/.ssh/config; fi
fi
rm -rf "$dir"
note "sshd down"
