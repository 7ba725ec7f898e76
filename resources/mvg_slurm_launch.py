"""MixVarGENet Studio's Slurm launcher for HAT (MIXVARGENET.md section 7); shipped in the extension.

Run by `srun` as one task per GPU: `python3 mvg_slurm_launch.py -- PROGRAM ARG...`. Sets the torch env that HAT's
`--launcher torch` reads, from the Slurm env of this task, then execs PROGRAM with its arguments (argv, no shell):
  RANK = SLURM_PROCID, WORLD_SIZE = SLURM_NTASKS, LOCAL_RANK = SLURM_LOCALID,
  MASTER_ADDR = the first host of SLURM_JOB_NODELIST (`scontrol show hostnames`),
  MASTER_PORT = $MVG_MASTER_PORT, else 20000 + SLURM_JOB_ID % 20000 (the same in every task of the job).
Values already set by the user (MASTER_ADDR, MASTER_PORT) are kept.
"""
import os
import re
import subprocess
import sys


def first_host(nodelist):
    try:
        out = subprocess.run(["scontrol", "show", "hostnames", nodelist], capture_output=True, text=True, timeout=30)
        hosts = out.stdout.split()
        if out.returncode == 0 and hosts:
            return hosts[0]
    except (OSError, subprocess.SubprocessError):
        pass
    # No scontrol on the compute node: expand the first entry of the hostlist ourselves.
    first = re.split(r",(?![^\[]*\])", nodelist)[0]
    m = re.match(r"^([^\[]*)\[([^\]]+)\](.*)$", first)
    if not m:
        return first
    lo = m.group(2).split(",")[0].split("-")[0]
    return m.group(1) + lo + m.group(3)


def main(argv):
    if argv[:1] == ["--"]:
        argv = argv[1:]
    if not argv:
        sys.stderr.write("mvg_slurm_launch: no command to run\n")
        return 2
    env = os.environ
    missing = [k for k in ("SLURM_PROCID", "SLURM_NTASKS", "SLURM_JOB_NODELIST") if not env.get(k)]
    if missing:
        sys.stderr.write("mvg_slurm_launch: not inside a Slurm task (%s not set)\n" % ", ".join(missing))
        return 2
    env["RANK"] = env["SLURM_PROCID"]
    env["WORLD_SIZE"] = env["SLURM_NTASKS"]
    env["LOCAL_RANK"] = env.get("SLURM_LOCALID", "0")
    if not env.get("MASTER_ADDR"):
        env["MASTER_ADDR"] = first_host(env["SLURM_JOB_NODELIST"])
    if not env.get("MASTER_PORT"):
        env["MASTER_PORT"] = env.get("MVG_MASTER_PORT") or str(20000 + int(env.get("SLURM_JOB_ID", "0") or 0) % 20000)
    sys.stdout.flush()
    try:
        os.execvp(argv[0], argv)
    except OSError as e:
        sys.stderr.write("mvg_slurm_launch: cannot run %s: %s\n" % (argv[0], e))
        return 127


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
