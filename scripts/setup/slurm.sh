#!/usr/bin/env bash
# Starts a one-node Slurm cluster on this machine (slurmctld + slurmd + munged, no systemd) for the Slurm
# integration tests of Genesis.Backends, and waits until `sinfo` shows the node ready.
#
#   sudo bash scripts/setup/slurm.sh
#
# Needs root and Debian's `slurm-wlm` and `munge` packages (scripts/test.sh installs them). Idempotent: when munged,
# slurmctld and slurmd already run with the same configuration and the node is up, it says so and exits at once.
# When it cannot run here (not root, Slurm not installed) it says why and exits 0, unless CI=true: CI must have Slurm.
# Exits non-zero with the end of the daemons' logs when Slurm does not come up within GENESIS_SLURM_WAIT seconds (30).
set -euo pipefail

say() { printf 'slurm: %s\n' "$*"; }

unavailable() {
    if [ "${CI:-}" = "true" ]; then
        printf 'slurm: error: %s; CI must run a Slurm cluster for the Slurm integration tests.\n' "$1" >&2
        exit 1
    fi
    say "not starting a cluster: $1 (the Slurm integration tests will fail)"
    exit 0
}

fail() {
    printf 'slurm: error: %s\n' "$1" >&2
    local log
    for log in /var/log/munge/munged.log /var/log/slurm/slurmctld.log /var/log/slurm/slurmd.log; do
        if [ -s "$log" ]; then
            printf -- '--- last lines of %s ---\n' "$log" >&2
            tail -n 15 "$log" >&2
        fi
    done
    exit 1
}

if [ "$(id -u)" -ne 0 ]; then
    unavailable "this script must run as root (it starts munged, slurmctld and slurmd)"
fi
for program in munged mungekey slurmctld slurmd sinfo sbatch squeue scancel scontrol; do
    if ! command -v "$program" >/dev/null 2>&1 && [ ! -x "/usr/sbin/$program" ]; then
        unavailable "$program was not found: install the Debian packages slurm-wlm and munge"
    fi
done
export PATH="$PATH:/usr/sbin:/sbin"

WAIT_SECONDS="${GENESIS_SLURM_WAIT:-30}"
CONF_DIR=/etc/slurm
CONF="$CONF_DIR/slurm.conf"
NODE="$(hostname -s)"
CPUS="$(nproc)"
# The memory slurmd itself sees (configuring more would drain the node with "Low RealMemory").
MEMORY="$(slurmd -C 2>/dev/null | sed -nE 's/.*RealMemory=([0-9]+).*/\1/p' | head -n 1)"
if [ -z "$MEMORY" ]; then
    MEMORY="$(awk '/^MemTotal:/ { print int($2 / 1024) }' /proc/meminfo)"
fi
MEM_PER_CPU=$(( MEMORY / CPUS ))

# --- folders ----------------------------------------------------------------------------------------------------
mkdir -p /var/spool/slurmctld /var/spool/slurmd /var/log/slurm "$CONF_DIR"
mkdir -p /etc/munge /var/lib/munge /var/log/munge /run/munge
chown munge:munge /etc/munge /var/lib/munge /var/log/munge /run/munge
chmod 700 /etc/munge /var/log/munge
chmod 711 /var/lib/munge
chmod 755 /run/munge

# --- munge --------------------------------------------------------------------------------------------------------
if [ ! -s /etc/munge/munge.key ]; then
    mungekey -c -k /etc/munge/munge.key
    say "created the munge key /etc/munge/munge.key"
fi
chown munge:munge /etc/munge/munge.key
chmod 400 /etc/munge/munge.key

if munge -n 2>/dev/null | unmunge >/dev/null 2>&1; then
    say "munged already runs"
else
    rm -f /run/munge/munged.pid
    runuser -u munge -- munged || fail "munged did not start"
    for _ in $(seq 1 50); do
        if munge -n 2>/dev/null | unmunge >/dev/null 2>&1; then break; fi
        sleep 0.1
    done
    munge -n 2>/dev/null | unmunge >/dev/null 2>&1 || fail "munged started but does not answer"
    say "started munged as the munge user"
fi

# --- slurm.conf ---------------------------------------------------------------------------------------------------
# The node's address is 127.0.0.1, so the cluster works even where the host name does not resolve.
NEW_CONF="$(cat <<EOF
# Written by scripts/setup/slurm.sh: a one-node cluster on $NODE for the Genesis integration tests.
ClusterName=genesis
SlurmctldHost=$NODE(127.0.0.1)
AuthType=auth/munge
CryptoType=crypto/munge
SlurmUser=root
SlurmdUser=root
MpiDefault=none
ProctrackType=proctrack/linuxproc
TaskPlugin=task/none
SwitchType=switch/none
SelectType=select/cons_tres
SelectTypeParameters=CR_Core_Memory
DefMemPerCPU=$MEM_PER_CPU
ReturnToService=2
SchedulerType=sched/backfill
# Schedule batch jobs as they are submitted (the default delays them up to 3 s to batch the scheduler's work).
SchedulerParameters=batch_sched_delay=0
# Seconds between SIGTERM and SIGKILL when a job is cancelled or reaches its limit (default 30).
KillWait=5
# Finished jobs stay visible to squeue --states=all and scontrol for this many seconds.
MinJobAge=300
AccountingStorageType=accounting_storage/none
JobAcctGatherType=jobacct_gather/none
JobCompType=jobcomp/filetxt
JobCompLoc=/var/log/slurm/jobcomp.log
StateSaveLocation=/var/spool/slurmctld
SlurmdSpoolDir=/var/spool/slurmd
SlurmctldPidFile=/run/slurmctld.pid
SlurmdPidFile=/run/slurmd.pid
SlurmctldLogFile=/var/log/slurm/slurmctld.log
SlurmdLogFile=/var/log/slurm/slurmd.log
SlurmctldPort=6817
SlurmdPort=6818
NodeName=$NODE NodeAddr=127.0.0.1 CPUs=$CPUS RealMemory=$MEMORY State=UNKNOWN
PartitionName=debug Nodes=$NODE Default=YES MaxTime=INFINITE State=UP
EOF
)"

running() { # whether the daemon whose pid file is $1 runs
    [ -s "$1" ] && kill -0 "$(cat "$1")" 2>/dev/null
}

# The node's state without the power-saving and reservation marks; a trailing * (not responding) is kept: not ready.
node_state() { sinfo --noheader --nodes="$NODE" --format=%T 2>/dev/null | head -n 1 | tr -d '~#!%$@^-'; }

node_ready() {
    case "$(node_state)" in
        idle | mixed | allocated | completing) return 0 ;;
        *) return 1 ;;
    esac
}

conf_changed=0
if [ ! -f "$CONF" ] || [ "$(cat "$CONF")" != "$NEW_CONF" ]; then
    printf '%s\n' "$NEW_CONF" >"$CONF"
    conf_changed=1
    say "wrote $CONF: node $NODE, $CPUS CPUs, ${MEMORY} MB, partition debug"
fi

if [ "$conf_changed" -eq 0 ] && running /run/slurmctld.pid && running /run/slurmd.pid && node_ready; then
    say "slurmctld and slurmd already run; node $NODE is $(node_state)"
    exit 0
fi

stop() { # stops the daemon whose pid file is $1 (a daemon this script started earlier)
    local pid
    if running "$1"; then
        pid="$(cat "$1")"
        kill "$pid" 2>/dev/null || true
        for _ in $(seq 1 100); do
            kill -0 "$pid" 2>/dev/null || break
            sleep 0.1
        done
        say "stopped $2 (pid $pid)"
    fi
    rm -f "$1"
}

if [ "$conf_changed" -eq 1 ]; then
    stop /run/slurmd.pid slurmd
    stop /run/slurmctld.pid slurmctld
fi

if ! running /run/slurmctld.pid; then
    slurmctld || fail "slurmctld did not start"
    say "started slurmctld"
fi
if ! running /run/slurmd.pid; then
    slurmd || fail "slurmd did not start"
    say "started slurmd"
fi

deadline=$(( $(date +%s) + WAIT_SECONDS ))
resumed=0
while ! node_ready; do
    state="$(node_state)"
    if [ "$resumed" -eq 0 ] && [[ "$state" == down* || "$state" == drain* ]]; then
        # A node left down or drained by an earlier run: ReturnToService=2 covers a restart, this covers the rest.
        scontrol update NodeName="$NODE" State=RESUME >/dev/null 2>&1 || true
        resumed=1
        say "node $NODE was $state: resumed it"
    fi
    if [ "$(date +%s)" -ge "$deadline" ]; then
        fail "node $NODE is not ready after ${WAIT_SECONDS} s (sinfo says '${state:-no answer}')"
    fi
    sleep 0.2
done
say "node $NODE is $(node_state): sbatch, squeue and scancel are ready"
