#!/usr/bin/env bash
# Grid Engine for the tests (Debian's gridengine 8.1.9): sge_qmaster and one
# sge_execd on this host, queue all.q with a slot per core, and parallel
# environment smp (the adaptor asks for `-pe smp N`). The tests expect
# those names, Debian's SGE_ROOT /var/lib/gridengine and cell "default".
set -euo pipefail
# shellcheck source-path=SCRIPTDIR
. "$(dirname "$0")/common.sh"

export SGE_ROOT=/var/lib/gridengine SGE_CELL=default
common=$SGE_ROOT/$SGE_CELL/common
dir=$PILOT_RM_DIR/sge
host=$(hostname)
qmaster=/usr/lib/gridengine/sge_qmaster
execd=/usr/lib/gridengine/sge_execd

# set_attributes FILE KEY VALUE...: set attributes in FILE, an object as
# `qconf -s...` prints it ("key value" lines). Succeeds only if FILE
# changed. (qconf's -a/-m options would open an editor; we load files.)
set_attributes() {
    local file=$1 changed=no
    shift
    while [ $# -gt 0 ]; do
        if ! awk -v k="$1" -v v="$2" '$1 == k { $1 = ""; sub(/^ +/, ""); found = ($0 == v) } END { exit !found }' "$file"; then
            awk -v k="$1" -v v="$2" '$1 == k { print k, v; done = 1; next } { print } END { if (!done) print k, v }' "$file" >"$file.new"
            mv "$file.new" "$file"
            changed=yes
        fi
        shift 2
    done
    [ $changed = yes ]
}

# qconf_quiet ARGS...: qconf ARGS. It reports success on stderr too, so
# its output is shown only when it fails.
qconf_quiet() {
    local out
    out=$(qconf "$@" 2>&1) || { printf '%s\n' "$out" >&2; return 1; }
}

# queue_ready: all.q on this host takes jobs: its execd reports a load and
# the instance has no state flags (alarm, unknown, disabled, error).
queue_ready() { qstat -f -q "all.q@$host" 2>/dev/null | awk -v q="all.q@$host" '$1 == q && NF == 5 && $4 != "-NA-" { ok = 1 } END { exit !ok }'; }

if ! installed gridengine-master; then
    # The master package's postinst makes the cell, after asking debconf.
    debconf-set-selections <<SEL
gridengine-common shared/gridengineconfig boolean true
gridengine-common shared/gridenginecell string $SGE_CELL
gridengine-common shared/gridenginemaster string $host
SEL
fi
install_packages gridengine-master gridengine-exec gridengine-client
resolve_hostname
[ -s "$common/bootstrap" ] || fail "no Grid Engine cell in $SGE_ROOT/$SGE_CELL: purge the gridengine packages and run me again"
if ! running "$dir/qmaster.pid" $qmaster && queue_ready && qconf -sp smp >/dev/null 2>&1; then
    # Someone else's daemons serve what the tests need: leave them and
    # their configuration alone.
    note "using the Grid Engine that is running (not started by this script)"
    exit 0
fi
mkdir -p "$dir"

# Names. qmaster is this host under its hostname. Clients come in over
# loopback, and qmaster names a client by resolving its address back:
# 127.0.0.1 gives "localhost", which qmaster would refuse as "not identical
# to clients host name". host_aliases makes every name of this host's
# addresses (and localhost) one host with it; qmaster reads it at start.
aliases=$({ echo localhost; getent ahostsv4 "$host" | awk '{ print $1 }' | sort -u | xargs -r -n 1 getent hosts | cut -d ' ' -f 2-; } |
          tr ' ' '\n' | awk -v h="$host" 'NF && $0 != h && !seen[$0]++' | tr '\n' ' ')
names_changed=0
update_file "$common/act_qmaster" <<<"$host" && names_changed=1
update_file "$common/host_aliases" <<<"$host $aliases" && names_changed=1
chown sgeadmin:sgeadmin "$common/act_qmaster" "$common/host_aliases"
if [ $names_changed = 1 ]; then
    stop "$dir/execd.pid" $execd
    stop "$dir/qmaster.pid" $qmaster 30
fi

if ! qconf -sh >/dev/null 2>&1; then
    port_taken 6444 && fail "another sge_qmaster holds port 6444; stop it first"
    # Started as root, it becomes sgeadmin, forks into the background and
    # writes its pid into its spool directory.
    rm -f /var/spool/gridengine/qmaster/qmaster.pid
    /usr/sbin/sge_qmaster </dev/null >>"$dir/qmaster.out" 2>&1 || fail "sge_qmaster did not start; see $dir/qmaster.out"
    wait_until 20 "qmaster's pid file" test -s /var/spool/gridengine/qmaster/qmaster.pid
    cp /var/spool/gridengine/qmaster/qmaster.pid "$dir/qmaster.pid"
    wait_until 60 qmaster qconf -sh || fail "qmaster does not answer; see /var/spool/gridengine/qmaster/messages"
fi

# Root may run jobs (min_uid, min_gid); no mail (the default mailer is
# absent); the scheduler runs every second and right after a job is
# submitted or ends, so short jobs start at once.
qconf -sconf global >"$dir/global"
if set_attributes "$dir/global" min_uid 0 min_gid 0 mailer /bin/true; then qconf_quiet -Mconf "$dir/global"; fi
qconf -ssconf >"$dir/scheduler"
if set_attributes "$dir/scheduler" schedule_interval 0:0:1 flush_submit_sec 1 flush_finish_sec 1; then
    qconf_quiet -Msconf "$dir/scheduler"
fi
qconf -sh 2>/dev/null | grep -qxF "$host" || qconf_quiet -ah "$host"
qconf -ss 2>/dev/null | grep -qxF "$host" || qconf_quiet -as "$host"

# smp as Grid Engine ships it: all of a job's slots on one host.
qconf -sp smp >/dev/null 2>&1 || qconf_quiet -Ap /usr/share/gridengine/util/resources/pe/smp
# all.q has a slot per core and ignores the load (others' builds on a
# small machine would otherwise put it in alarm and stop dispatching).
queue=(hostlist "$host" slots "$(nproc)" pe_list smp load_thresholds NONE)
if qconf -sq all.q >"$dir/all.q" 2>/dev/null; then
    if set_attributes "$dir/all.q" "${queue[@]}"; then qconf_quiet -Mq "$dir/all.q"; fi
else
    qconf -sq >"$dir/all.q"   # without a name: the template queue
    set_attributes "$dir/all.q" qname all.q "${queue[@]}" || true
    qconf_quiet -Aq "$dir/all.q"
fi

if ! running "$dir/execd.pid" $execd; then
    port_taken 6445 && fail "another sge_execd holds port 6445; stop it first"
    # It registers this host as an execution host when it first connects.
    rm -f /run/gridengine/execd.pid
    install -d -o sgeadmin -g sgeadmin /run/gridengine
    SGE_EXECD_PIDFILE=/run/gridengine/execd.pid /usr/sbin/sge_execd </dev/null >>"$dir/execd.out" 2>&1 ||
        fail "sge_execd did not start; see $dir/execd.out"
    wait_until 20 "execd's pid file" test -s /run/gridengine/execd.pid
    cp /run/gridengine/execd.pid "$dir/execd.pid"
fi
wait_until 60 "queue all.q@$host" queue_ready || fail "all.q@$host takes no jobs: $(qstat -f 2>&1)"
note "Grid Engine up: queue all.q@$host with $(nproc) slots, parallel environment smp"
