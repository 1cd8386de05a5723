#!/usr/bin/env bash
# SLURM for the tests (Debian's slurm-wlm 22.05): munged, slurmctld and one
# slurmd on 127.0.0.1. The tests expect the node to be called "localhost"
# and to have this machine's cores, and the partition to be called "debug".
# The config goes to /etc/slurm/slurm.conf, where every SLURM command (also
# one run over ssh) finds it without SLURM_CONF.
set -euo pipefail
# shellcheck source-path=SCRIPTDIR
. "$(dirname "$0")/common.sh"

conf=/etc/slurm/slurm.conf
marker="# Written by pilot's .ci/rm/slurm-up.sh; edits are overwritten."
dir=$PILOT_RM_DIR/slurm
saved=$conf.before-pilot

node_usable() { sinfo -h -p debug -n localhost -o %t 2>/dev/null | grep -qE '^(idle|mix|alloc|comp)$'; }

install_packages munge slurm-wlm
resolve_hostname

if [ -e "$conf" ] && ! grep -qxF "$marker" "$conf"; then
    # Not ours: use that SLURM if it serves what the tests need, but never
    # overwrite someone's configuration.
    if scontrol ping >/dev/null 2>&1 && node_usable; then
        note "using the SLURM that is running with $conf (not written by this script)"
        exit 0
    fi
    # A SLURM config that serves nothing (a machine image often carries one
    # from whoever built it) is kept beside ours; slurm-down.sh puts it back.
    [ -e "$saved" ] && fail "$conf is not ours and $saved exists too; move one of them away"
    note "moving $conf (not written by this script, no SLURM serving it) to $saved"
    mv "$conf" "$saved"
fi

mkdir -p "$dir/state" "$dir/spool" "$dir/log" /etc/slurm
# Memory is not scheduled (CR_Core below), but a node must not claim more
# than it has, and the default of 1 MB would refuse any job asking --mem.
memory=$(awk '/^MemTotal:/ { print int($2 / 1024 * 0.9) }' /proc/meminfo)
if update_file "$conf" <<CONF; then conf_changed=1; else conf_changed=0; fi
$marker
ClusterName=pilotci
# Everything on loopback under fixed names, whatever this host is called.
SlurmctldHost=localhost(127.0.0.1)
NodeName=localhost NodeAddr=127.0.0.1 CPUs=$(nproc) RealMemory=$memory State=UNKNOWN
PartitionName=debug Nodes=localhost Default=YES MaxTime=INFINITE State=UP
SlurmUser=root
AuthType=auth/munge
$(slurm_shared_settings "$dir")
StateSaveLocation=$dir/state
SlurmdSpoolDir=$dir/spool
SlurmctldPidFile=$dir/slurmctld.pid
SlurmdPidFile=$dir/slurmd.pid
SlurmctldLogFile=$dir/log/slurmctld.log
SlurmdLogFile=$dir/log/slurmd.log
CONF

# munge signs every SLURM message. Its package makes the key on install;
# make one if it has gone since.
if [ ! -s /etc/munge/munge.key ]; then
    note "making a new /etc/munge/munge.key"
    (umask 077 && head -c 1024 /dev/urandom >/etc/munge/munge.key)
    chown munge:munge /etc/munge/munge.key
fi
munge_works() { munge -n </dev/null | unmunge; }
if ! munge_works >/dev/null 2>&1; then
    # systemd would make the runtime directory. munged will not run as
    # root; it daemonizes and writes its pid file once its socket is ready.
    install -d -o munge -g munge -m 0755 /run/munge
    rm -f /run/munge/munged.pid
    runuser -u munge -- /usr/sbin/munged </dev/null >/dev/null 2>&1
    wait_until 15 munged munge_works || fail "munged does not answer; see /var/log/munge/munged.log"
    cp /run/munge/munged.pid "$dir/munged.pid"
fi

if [ "$conf_changed" = 1 ]; then
    # Daemons of ours that run an older config start again below.
    stop "$dir/slurmd.pid" /usr/sbin/slurmd
    stop "$dir/slurmctld.pid" /usr/sbin/slurmctld
fi
if ! running "$dir/slurmctld.pid" /usr/sbin/slurmctld; then
    port_taken 6817 && fail "another slurmctld holds port 6817; stop it first"
    # -i: start even if the state saved by an earlier run no longer fits.
    # Both daemons fork into the background and write their pid files.
    /usr/sbin/slurmctld -i </dev/null >>"$dir/log/slurmctld.out" 2>&1 || fail "slurmctld did not start; see $dir/log"
fi
wait_until 30 slurmctld scontrol ping || fail "slurmctld does not answer; see $dir/log/slurmctld.log"
if ! running "$dir/slurmd.pid" /usr/sbin/slurmd; then
    port_taken 6818 && fail "another slurmd holds port 6818; stop it first"
    # -N: this slurmd is the node "localhost", whatever the hostname.
    /usr/sbin/slurmd -N localhost </dev/null >>"$dir/log/slurmd.out" 2>&1 || fail "slurmd did not start; see $dir/log"
fi
wait_until 60 "node localhost" node_usable || fail "node localhost is not up: $(sinfo -N -o '%N %T %E' 2>&1)"
note "SLURM up: partition debug, node localhost with $(nproc) cores"
