#!/usr/bin/env bash
# Stops what test/slurm/setup.sh started (the daemons listed in its $STATE/started), and nothing else: a Slurm that
# was already running when the tests began keeps running. The configuration and the packages stay.
set -uo pipefail
STATE=${MVG_SLURM_STATE:-/run/mvg-slurm-test}
[ -f "$STATE/started" ] || exit 0
stop() { [ -s "$1" ] && kill "$(cat "$1")" 2>/dev/null; }
while read -r what; do
  case "$what" in
    slurmd-node1|slurmd-node2) stop "/run/$what.pid" ;;
    slurmctld) stop /run/slurmctld.pid ;;
    munged) stop /run/munge/munged.pid ;;
  esac
done < <(tac "$STATE/started")
rm -f "$STATE/started"
echo "slurm: stopped what the tests started"
