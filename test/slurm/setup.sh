#!/usr/bin/env bash
# A real Slurm on this one machine for the Slurm-launcher tests (../../../shared/SLURM.md's recipe, checked here):
# Debian's slurm-wlm, 2 nodes (node1, node2) x 4 fake GPUs, both served by slurmd on this host.
#   - installs slurmd slurmctld slurm-client munge with apt-get when missing;
#   - writes /etc/slurm/slurm.conf and gres.conf (only when absent or written by this script: a cluster configured by
#     someone else is never overwritten — then this script stops with a message);
#   - starts munged, slurmctld and the two slurmd when they are not running, and records what it started in
#     $STATE/started, so test/slurm/teardown.sh stops only those;
#   - waits until both nodes are idle. Idempotent: a second run with the cluster up does nothing but check it.
# Needs root (a CI container). Prints "slurm: ready" as its last line when the cluster answers.
set -euo pipefail
STATE=${MVG_SLURM_STATE:-/run/mvg-slurm-test}
MARK='# written by mixvargenet-studio test/slurm/setup.sh'
SUDO=""
[ "$(id -u)" = 0 ] || SUDO="sudo"
mkdir -p "$STATE" 2>/dev/null || { $SUDO mkdir -p "$STATE"; $SUDO chown "$(id -u)" "$STATE"; }
touch "$STATE/started"

need=()
command -v slurmctld >/dev/null 2>&1 || need+=(slurmctld)
command -v slurmd >/dev/null 2>&1 || need+=(slurmd)
command -v sbatch >/dev/null 2>&1 || need+=(slurm-client)
command -v munged >/dev/null 2>&1 || need+=(munge)
if [ ${#need[@]} -gt 0 ]; then
  echo "slurm: apt-get install ${need[*]}"
  export DEBIAN_FRONTEND=noninteractive
  $SUDO apt-get update -qq
  $SUDO apt-get install -y -qq "${need[@]}" >/dev/null
fi

# ---- munge
[ -s /etc/munge/munge.key ] || $SUDO mungekey -c
$SUDO mkdir -p /run/munge
$SUDO chown munge: /run/munge /etc/munge/munge.key 2>/dev/null || true
if ! pgrep -x munged >/dev/null 2>&1; then
  $SUDO runuser -u munge -- munged
  echo munged >>"$STATE/started"
fi

# ---- configuration
conf=/etc/slurm/slurm.conf
if [ -e "$conf" ] && ! grep -qF "$MARK" "$conf"; then
  echo "slurm: $conf exists and was not written by this script; not touching it (use a machine without Slurm, or remove it)" >&2
  exit 1
fi
$SUDO mkdir -p /etc/slurm /var/spool/slurmctld /var/spool/slurmd /var/log/slurm
for n in 0 1 2 3 4 5 6 7; do [ -c /tmp/fakegpu$n ] || $SUDO mknod /tmp/fakegpu$n c 1 3; done
want=$(cat <<CONF
$MARK
ClusterName=mvgtest
SlurmctldHost=localhost
SlurmUser=root
SlurmdUser=root
AuthType=auth/munge
ProctrackType=proctrack/linuxproc
TaskPlugin=task/none
JobAcctGatherType=jobacct_gather/none
AccountingStorageType=accounting_storage/none
SelectType=select/cons_tres
SelectTypeParameters=CR_Core
ReturnToService=2
SlurmdParameters=config_overrides
GresTypes=gpu
StateSaveLocation=/var/spool/slurmctld
SlurmdSpoolDir=/var/spool/slurmd/%n
SlurmdPidFile=/run/slurmd-%n.pid
SlurmctldPidFile=/run/slurmctld.pid
SlurmctldLogFile=/var/log/slurm/slurmctld.log
SlurmdLogFile=/var/log/slurm/slurmd-%n.log
MpiDefault=none
KillWait=3
MinJobAge=600
SchedulerParameters=sched_min_interval=100000
NodeName=node[1-2] NodeHostname=localhost NodeAddr=127.0.0.1 Port=[17001-17002] CPUs=4 Gres=gpu:4 State=UNKNOWN
PartitionName=debug Nodes=node[1-2] Default=YES MaxTime=INFINITE State=UP
CONF
)
if [ ! -e "$conf" ] || [ "$(cat "$conf")" != "$want" ]; then
  printf '%s\n' "$want" | $SUDO tee "$conf" >/dev/null
  printf '%s\n%s\n%s\n' "$MARK" 'NodeName=node1 Name=gpu File=/tmp/fakegpu[0-3]' 'NodeName=node2 Name=gpu File=/tmp/fakegpu[4-7]' | $SUDO tee /etc/slurm/gres.conf >/dev/null
fi
grep -qE '^127\.0\.0\.1[[:space:]].*\bnode1\b' /etc/hosts || echo '127.0.0.1 node1 node2' | $SUDO tee -a /etc/hosts >/dev/null

# ---- daemons
alive() { [ -s "$1" ] && kill -0 "$(cat "$1")" 2>/dev/null; }
if ! alive /run/slurmctld.pid; then
  $SUDO slurmctld -i
  echo slurmctld >>"$STATE/started"
fi
for n in node1 node2; do
  if ! alive /run/slurmd-$n.pid; then
    $SUDO slurmd -N $n
    echo "slurmd-$n" >>"$STATE/started"
  fi
done

for i in $(seq 1 120); do
  states=$(sinfo -h -N -o '%N %t' 2>/dev/null || true)
  if [ "$(printf '%s\n' "$states" | grep -cE '^node[12] (idle|mix|alloc)$')" = 2 ]; then
    echo "slurm: ready ($(printf '%s' "$states" | tr '\n' ' '))"
    exit 0
  fi
  # A node left DOWN by an earlier run comes back at once.
  if printf '%s\n' "$states" | grep -qE '(down|drain)'; then $SUDO scontrol update nodename=node[1-2] state=resume 2>/dev/null || true; fi
  sleep 0.5
done
echo "slurm: the nodes did not become idle: $(sinfo -N 2>&1 | tr '\n' ' ')" >&2
exit 1
