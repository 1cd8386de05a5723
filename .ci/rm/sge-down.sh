#!/usr/bin/env bash
# Stops the qmaster and execd of sge-up.sh, with every job. The cell's
# configuration (Debian's, under /var/lib/gridengine and
# /var/spool/gridengine) stays for the next sge-up.sh.
set -euo pipefail
# shellcheck source-path=SCRIPTDIR
. "$(dirname "$0")/common.sh"

dir=$PILOT_RM_DIR/sge
jobs=()
if running "$dir/execd.pid" /usr/lib/gridengine/sge_execd; then
    # Shepherds and job processes descend from execd but may outlive it.
    mapfile -t jobs < <(descendants "$(cat "$dir/execd.pid")")
fi
if running "$dir/qmaster.pid" /usr/lib/gridengine/sge_qmaster; then
    qdel -f -u '*' >/dev/null 2>&1 || true
fi
stop "$dir/execd.pid" /usr/lib/gridengine/sge_execd
[ ${#jobs[@]} = 0 ] || kill -KILL "${jobs[@]}" 2>/dev/null || true
# qmaster takes about 10 s to shut down.
stop "$dir/qmaster.pid" /usr/lib/gridengine/sge_qmaster 30
rm -rf "$dir"
note "Grid Engine down"
