#!/usr/bin/env bash
# An sshd of the tests' own on 127.0.0.1:2222 that lets root in with a key
# made here, and a block in root's ~/.ssh/config so that `ssh -p 2222
# localhost` and `ssh rmh-ssh` (the name Tests/PilotTests/MultiNodeTests
# gives a second node) log in without prompts. The system's sshd and its
# /etc/ssh config are left alone.
set -euo pipefail
# shellcheck source-path=SCRIPTDIR
. "$(dirname "$0")/common.sh"

port=2222
dir=$PILOT_RM_DIR/sshd
begin="# >>> pilot .ci/rm/sshd-up.sh >>>"
end="# <<< pilot .ci/rm/sshd-up.sh <<<"

logs_in() { ssh -n -p $port localhost true && ssh -n rmh-ssh true; }

install_packages openssh-server openssh-client

if ! running "$dir/sshd.pid" /usr/sbin/sshd && logs_in 2>/dev/null; then
    note "using the sshd that already lets root in on 127.0.0.1:$port"
    exit 0
fi

mkdir -p "$dir"
chmod 700 "$dir"
[ -s "$dir/host_key" ] || ssh-keygen -q -t ed25519 -N '' -C "pilot CI host key" -f "$dir/host_key"
[ -s "$dir/id_ed25519" ] || ssh-keygen -q -t ed25519 -N '' -C "pilot CI client key" -f "$dir/id_ed25519"
update_file "$dir/authorized_keys" <"$dir/id_ed25519.pub" || true
# The host key is known in advance, so clients check it strictly.
update_file "$dir/known_hosts" <<<"[localhost]:$port,[127.0.0.1]:$port $(cut -d ' ' -f 1,2 "$dir/host_key.pub")" || true

config_changed=0
update_file "$dir/sshd_config" <<CONF && config_changed=1
ListenAddress 127.0.0.1
Port $port
HostKey $dir/host_key
PidFile $dir/sshd.pid
AuthorizedKeysFile $dir/authorized_keys
PermitRootLogin prohibit-password
PasswordAuthentication no
KbdInteractiveAuthentication no
# PAM would want a logind session, which containers lack.
UsePAM no
# The key files may lie under a world-writable TMPDIR.
StrictModes no
# The tests open many connections at once; the default (10:30:100) drops
# some of them while they authenticate.
MaxStartups 100:30:200
MaxSessions 100
# scp speaks SFTP since OpenSSH 9.
Subsystem sftp internal-sftp
CONF
/usr/sbin/sshd -t -f "$dir/sshd_config" || fail "sshd rejects $dir/sshd_config"
if [ $config_changed = 1 ]; then stop "$dir/sshd.pid" /usr/sbin/sshd; fi
if ! running "$dir/sshd.pid" /usr/sbin/sshd; then
    port_taken $port && fail "another process listens on 127.0.0.1:$port; stop it first"
    # The privilege separation directory, which systemd would make.
    install -d -m 0755 /run/sshd
    # sshd re-executes itself, so it needs its absolute path; it forks
    # into the background and writes its pid file. -E: log to a file.
    /usr/sbin/sshd -f "$dir/sshd_config" -E "$dir/sshd.log" </dev/null >/dev/null 2>&1 || fail "sshd did not start; see $dir/sshd.log"
fi

# The client side goes first in ~/.ssh/config (ssh takes the first value
# it finds for an option) and ends in `Host *`, so that lines after it that
# precede any Host line stay global.
install -d -m 700 ~/.ssh
rest=""
[ ! -e ~/.ssh/config ] || rest=$(awk -v b="$begin" -v e="$end" '$0 == b { skip = 1 } !skip { print } $0 == e { skip = 0 }' ~/.ssh/config)
{
    cat <<CONF
$begin
Host rmh-ssh
    HostName 127.0.0.1
    Port $port
    HostKeyAlias [localhost]:$port
Host rmh-ssh localhost 127.0.0.1
    IdentityFile $dir/id_ed25519
    UserKnownHostsFile $dir/known_hosts
    BatchMode yes
Host *
$end
CONF
    [ -z "$rest" ] || printf '%s\n' "$rest"
} | update_file ~/.ssh/config || true
chmod 600 ~/.ssh/config
wait_until 20 "ssh login" logs_in || fail "cannot log in with ssh -p $port localhost; see $dir/sshd.log"
note "sshd up on 127.0.0.1:$port: ssh -p $port localhost, ssh rmh-ssh"
