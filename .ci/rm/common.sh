# shellcheck shell=bash
# Sourced by the .ci/rm scripts, never run on its own.
#
# These scripts run the resource managers of the tests on this one host,
# as root and without systemd (CI containers and VMs have none), so each
# daemon is started by hand. The pid of every daemon they start goes into
# the state directory; the -down scripts stop only those processes.
set -euo pipefail

# Configs, logs, pid files and daemon state. Under TMPDIR so that a
# machine's policy for temporary files applies.
PILOT_RM_DIR=${PILOT_RM_DIR:-${TMPDIR:-/tmp}/pilot-rm}

note() { printf '%s %s: %s\n' "$(date +%T)" "${0##*/}" "$*" >&2; }
fail() { note "error: $*"; exit 1; }

[ "$(id -u)" = 0 ] || fail "run me as root: I install packages and start system daemons"
mkdir -p "$PILOT_RM_DIR"

installed() { dpkg-query -W -f '${db:Status-Status}' "$1" 2>/dev/null | grep -qx installed; }

# install_packages PKG...: apt-get install those of PKG that are missing.
install_packages() {
    local missing=() package attempt
    for package in "$@"; do installed "$package" || missing+=("$package"); done
    [ ${#missing[@]} = 0 ] && return 0
    note "installing ${missing[*]}"
    export DEBIAN_FRONTEND=noninteractive
    # Debian's container images run a hook after every apt-get that deletes
    # /var/cache/apt/archives/*.deb, so another process's apt-get could
    # delete ours mid-install: download into a directory of our own. Another
    # apt-get holding the dpkg lock is waited for.
    local cache=$PILOT_RM_DIR/apt-cache log=$PILOT_RM_DIR/apt.log
    local apt=(apt-get -q -y -o DPkg::Lock::Timeout=300 -o Dir::Cache::archives="$cache/")
    mkdir -p "$cache/partial"
    : >"$log"
    # A fresh image has no package lists yet.
    apt-cache show "${missing[@]}" >/dev/null 2>&1 || "${apt[@]}" update >>"$log" 2>&1 </dev/null || true
    for attempt in 1 2 3; do
        if "${apt[@]}" install --no-install-recommends "${missing[@]}" >>"$log" 2>&1 </dev/null; then
            rm -rf "$cache"
            return 0
        fi
        note "apt-get install failed (attempt $attempt of 3):"
        tail -n 5 "$log" >&2
        # The usual causes: outdated package lists, an interrupted dpkg.
        "${apt[@]}" update >>"$log" 2>&1 </dev/null || true
        dpkg --configure -a >>"$log" 2>&1 </dev/null || true
    done
    fail "could not install ${missing[*]}; see $log"
}

# wait_until SECONDS WHAT COMMAND...: run COMMAND until it succeeds.
wait_until() {
    local deadline=$((SECONDS + $1)) what=$2
    shift 2
    until "$@" >/dev/null 2>&1; do
        [ "$SECONDS" -lt "$deadline" ] || { note "gave up waiting for $what"; return 1; }
        sleep 0.2
    done
}

# running PIDFILE PROGRAM: the process in PIDFILE is alive and runs PROGRAM
# (a pid from an earlier boot may belong to something else by now).
running() {
    local pid
    pid=$(cat "$1" 2>/dev/null) && [[ $pid =~ ^[0-9]+$ ]] || return 1
    [ "$(readlink -f "/proc/$pid/exe" 2>/dev/null)" = "$(readlink -f "$2")" ]
}

# stop PIDFILE PROGRAM [SECONDS]: end the process in PIDFILE if it runs
# PROGRAM: SIGTERM, and SIGKILL after SECONDS (default 10).
stop() {
    local pid
    if running "$1" "$2"; then
        pid=$(cat "$1")
        note "stopping ${2##*/} (pid $pid)"
        kill -TERM "$pid" 2>/dev/null || true
        wait_until "${3:-10}" "${2##*/} to exit" test ! -d "/proc/$pid" || kill -KILL "$pid" 2>/dev/null || true
    fi
    rm -f "$1"
}

# descendants PID: the pids of PID's children, their children, and so on.
descendants() {
    local child
    for child in $(pgrep -P "$1" || true); do
        echo "$child"
        descendants "$child"
    done
}

# port_taken PORT: something accepts connections on 127.0.0.1:PORT.
port_taken() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }

# update_file FILE: replace FILE's content with stdin unless they are the
# same already; succeeds only if FILE changed.
update_file() {
    local content
    content=$(cat)
    if [ -e "$1" ] && [ "$(cat "$1")" = "$content" ]; then return 1; fi
    # Written beside it and renamed, so that a reader (the tests run while
    # this runs again) never sees half a file.
    printf '%s\n' "$content" >"$1.new"
    mv -f "$1.new" "$1"
}

# resolve_hostname: make this host's name resolve. SLURM's step daemons and
# Grid Engine's daemons look it up, and a container's hostname may resolve
# nowhere. The line stays (Debian's installer writes one like it too).
resolve_hostname() {
    getent hosts "$(hostname)" >/dev/null && return 0
    note "$(hostname) does not resolve; adding it to /etc/hosts as 127.0.0.1"
    echo "127.0.0.1 $(hostname)" >>/etc/hosts
}

# slurm_shared_settings DIR: the slurm.conf lines both SLURMs of the tests
# share (slurm-up.sh's single host, cluster-up.sh's nodes); DIR holds the
# job completion log.
slurm_shared_settings() {
    cat <<CONF
# No cgroups (containers often cannot use them): processes are tracked
# through /proc, tasks are not bound to cores.
ProctrackType=proctrack/linuxproc
TaskPlugin=task/none
SelectType=select/cons_tres
SelectTypeParameters=CR_Core
# sbatch refuses a job the partition can never run (the tests expect
# SLURM's own error) instead of leaving it pending for ever.
EnforcePartLimits=ALL
# No accounting database: the adaptor reads ended jobs from scontrol,
# which keeps them for MinJobAge seconds. A line per ended job goes to
# JobCompLoc for people.
AccountingStorageType=accounting_storage/none
JobAcctGatherType=jobacct_gather/none
JobCompType=jobcomp/filetxt
JobCompLoc=$1/log/jobcomp.txt
MinJobAge=300
# A restarted slurmd puts the node back in service; cancelled jobs get 5 s
# between SIGTERM and SIGKILL.
ReturnToService=2
KillWait=5
MailProg=/bin/true
CONF
}
