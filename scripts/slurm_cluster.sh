#!/usr/bin/env bash
# Starts (or stops) a one-node Slurm cluster on this machine, as root and without systemd, for the
# `ntsbuild submit` tests and for trying it by hand:
#   scripts/slurm_cluster.sh start DIR [PORT]   → then: export SLURM_CONF=DIR/slurm.conf
#   scripts/slurm_cluster.sh stop DIR
# munged, slurmctld and slurmd run as plain processes with their key, sockets, state, logs and
# pid files under DIR (PORT: slurmctld's, slurmd takes PORT+1; default 6817), so the cluster
# touches nothing outside DIR and `stop` ends everything `start` began.
# Needs Debian's slurm-wlm and munge (`make deps` installs them).
set -euo pipefail
action=${1:?usage: slurm_cluster.sh start|stop DIR [PORT]} dir=${2:?usage: slurm_cluster.sh start|stop DIR [PORT]}

# Running, not a zombie (an exited daemon whose parent has not reaped it still answers kill -0).
alive() {
    [ -r "/proc/$1/stat" ] && [ "$(cut -d')' -f2 "/proc/$1/stat" | cut -d' ' -f2)" != Z ]
}

stop_pid() {
    local file=$1
    [ -f "$file" ] || return 0
    local pid
    pid=$(cat "$file" 2>/dev/null || true)
    [ -n "$pid" ] || return 0
    kill "$pid" 2>/dev/null || true
    # Until it is gone (a daemon left behind would hold the port for the next start).
    for _ in $(seq 50); do alive "$pid" || break; sleep 0.1; done
    kill -9 "$pid" 2>/dev/null || true
    rm -f "$file"
}

# A process and everything under it, children first being found before the parent dies.
kill_tree() {
    local pid=$1 child
    for child in $(pgrep -P "$pid" 2>/dev/null || true); do kill_tree "$child"; done
    kill -9 "$pid" 2>/dev/null || true
}

case "$action" in
start)
    port=${3:-6817}
    dir=$(mkdir -p "$dir" && cd "$dir" && pwd)
    mkdir -p "$dir/munge" "$dir/state" "$dir/spool" "$dir/log"
    # munged refuses a key or socket folder that others may write.
    chmod 700 "$dir/munge"
    [ -f "$dir/munge/munge.key" ] || mungekey --create --keyfile="$dir/munge/munge.key" --force
    chmod 400 "$dir/munge/munge.key"
    cat > "$dir/slurm.conf" <<CONF
ClusterName=ntsbuild-test
SlurmctldHost=localhost(127.0.0.1)
SlurmctldPort=$port
SlurmdPort=$((port + 1))
SlurmUser=root
SlurmdUser=root
AuthType=auth/munge
AuthInfo=socket=$dir/munge/munge.socket
CredType=cred/munge
ProctrackType=proctrack/linuxproc
TaskPlugin=task/none
JobAcctGatherType=jobacct_gather/none
AccountingStorageType=accounting_storage/none
JobCompType=jobcomp/filetxt
JobCompLoc=$dir/log/jobcomp.txt
SelectType=select/cons_tres
SelectTypeParameters=CR_Core
SchedulerType=sched/backfill
StateSaveLocation=$dir/state
SlurmdSpoolDir=$dir/spool
SlurmctldPidFile=$dir/slurmctld.pid
SlurmdPidFile=$dir/slurmd.pid
SlurmctldLogFile=$dir/log/slurmctld.log
SlurmdLogFile=$dir/log/slurmd.log
SlurmctldDebug=info
SlurmdDebug=info
ReturnToService=2
MinJobAge=300
# Schedule at once on every event and every second (the default waits up to a minute between passes).
SchedulerParameters=sched_interval=1,bf_interval=1,defer_batch=0
NodeName=localhost NodeAddr=127.0.0.1 CPUs=2 State=UNKNOWN
PartitionName=debug Nodes=localhost Default=YES MaxTime=INFINITE State=UP
CONF
    export SLURM_CONF=$dir/slurm.conf
    # The daemons must not keep the caller's descriptors: a caller that waits for its pipes to
    # close (as Foundation's Process does) would wait for as long as they run.
    for fd in /proc/$$/fd/*; do
        fd=${fd##*/}
        [ "$fd" -gt 2 ] && eval "exec $fd>&-" 2>/dev/null || true
    done
    exec 3>&2 </dev/null >>"$dir/log/start.out" 2>&1
    munged --force --socket="$dir/munge/munge.socket" --key-file="$dir/munge/munge.key" \
        --pid-file="$dir/munge/munged.pid" --log-file="$dir/log/munged.log" --seed-file="$dir/munge/munged.seed" 3>&-
    # A fresh state each start: jobs of an earlier run are not resumed.
    # (fd 3, the caller's stderr for a failure message, is not theirs either)
    slurmctld -c -f "$dir/slurm.conf" 3>&-
    slurmd -N localhost -f "$dir/slurm.conf" 3>&-
    # Ready when the node takes jobs; a daemon that died (a port in use, a bad key) fails at once.
    deadline=$((SECONDS + 30))
    state=""
    while [ $SECONDS -lt $deadline ]; do
        for file in munge/munged.pid slurmctld.pid slurmd.pid; do
            if [ -f "$dir/$file" ] && ! alive "$(cat "$dir/$file")"; then state="${file%.pid} died"; break 2; fi
        done
        state=$(timeout 3 sinfo -h -N -o %t 2>/dev/null | head -1 || true)
        case "$state" in idle|mix|alloc) exit 0 ;; esac
        sleep 0.2
    done
    {
        echo "slurm_cluster.sh: the cluster did not come up (${state:-no answer from sinfo}); logs in $dir/log/:"
        tail -n 3 "$dir/log/slurmctld.log" "$dir/log/slurmd.log" "$dir/log/munged.log" 2>/dev/null
    } >&3
    "$0" stop "$dir"
    exit 1
    ;;
stop)
    [ -d "$dir" ] || exit 0
    dir=$(cd "$dir" && pwd)
    export SLURM_CONF=$dir/slurm.conf
    # Jobs first (their steps end with them), then slurmd, the controller and munge.
    if [ -f "$dir/slurmctld.pid" ]; then
        timeout 10 scancel --quiet --full --user="$(id -un)" 2>/dev/null || true
    fi
    # A step slurmd started (its environment names this cluster's slurm.conf) and what it runs.
    steps=""
    for pid in $(pgrep slurmstepd 2>/dev/null || true); do
        grep -qsF "SLURM_CONF=$dir/slurm.conf" "/proc/$pid/environ" && steps="$steps $pid"
    done
    stop_pid "$dir/slurmd.pid"
    for pid in $steps; do kill_tree "$pid"; done
    stop_pid "$dir/slurmctld.pid"
    stop_pid "$dir/munge/munged.pid"
    ;;
*)
    echo "usage: slurm_cluster.sh start|stop DIR [PORT]" >&2
    exit 64
    ;;
esac
