#!/usr/bin/env bash
# A real single-node SLURM on 127.0.0.1 for the cluster tests (Debian, as root).
#   scripts/slurm-local.sh install   apt-get the daemons (slurmctld slurmd munge slurmdbd mariadb)
#   scripts/slurm-local.sh start     configure and start munge, MariaDB, slurmdbd, slurmctld, slurmd
#   scripts/slurm-local.sh stop      stop them again and remove slurm.conf (see stop())
#   scripts/slurm-local.sh status    sinfo
# Idempotent. No systemd is assumed: daemons are started directly.
set -euo pipefail

CLUSTER=dsplaybook
NODE=$(hostname -s)
CPUS=$(nproc)
MEM_MB=$(( $(awk '/MemTotal/ {print $2}' /proc/meminfo) / 1024 - 1024 ))
DB_PASS=dsplaybook-local

need_root() { [[ $(id -u) -eq 0 ]] || { echo "slurm-local: must run as root" >&2; exit 3; }; }

install() {
    need_root
    command -v slurmctld >/dev/null && command -v slurmdbd >/dev/null && command -v mariadbd >/dev/null && return
    export DEBIAN_FRONTEND=noninteractive
    apt-get install -y -q slurmctld slurmd slurm-client munge slurmdbd mariadb-server >/dev/null ||
        { apt-get update -q >/dev/null && apt-get install -y -q slurmctld slurmd slurm-client munge slurmdbd mariadb-server >/dev/null; }
}

write_config() {
    mkdir -p /etc/slurm /var/spool/slurmctld /var/spool/slurmd /var/log/slurm /run/slurm
    cat > /etc/slurm/slurm.conf <<CONF
# Written by dsplaybook scripts/slurm-local.sh: one node, loopback only.
ClusterName=$CLUSTER
SlurmctldHost=$NODE(127.0.0.1)
SlurmUser=root
SlurmdUser=root
AuthType=auth/munge
StateSaveLocation=/var/spool/slurmctld
SlurmdSpoolDir=/var/spool/slurmd
SlurmctldPidFile=/run/slurm/slurmctld.pid
SlurmdPidFile=/run/slurm/slurmd.pid
SlurmctldLogFile=/var/log/slurm/slurmctld.log
SlurmdLogFile=/var/log/slurm/slurmd.log
# no cgroups/systemd in containers
ProctrackType=proctrack/linuxproc
TaskPlugin=task/none
SelectType=select/cons_tres
SelectTypeParameters=CR_CPU
ReturnToService=2
# keep finished jobs visible long enough for the executor to see them
MinJobAge=600
AccountingStorageType=accounting_storage/slurmdbd
AccountingStorageHost=127.0.0.1
JobAcctGatherType=jobacct_gather/none
NodeName=$NODE NodeAddr=127.0.0.1 CPUs=$CPUS RealMemory=$MEM_MB State=UNKNOWN
PartitionName=debug Nodes=$NODE Default=YES MaxTime=INFINITE State=UP
CONF
    cat > /etc/slurm/slurmdbd.conf <<CONF
AuthType=auth/munge
DbdHost=$NODE
DbdAddr=127.0.0.1
SlurmUser=root
StorageType=accounting_storage/mysql
StorageHost=127.0.0.1
StorageUser=slurm
StoragePass=$DB_PASS
StorageLoc=slurm_acct_db
LogFile=/var/log/slurm/slurmdbd.log
PidFile=/run/slurm/slurmdbd.pid
CONF
    chmod 600 /etc/slurm/slurmdbd.conf
}

running() { pgrep -x "$1" >/dev/null; }

start() {
    need_root
    install
    write_config
    mkdir -p /run/munge /etc/munge && chown munge:munge /run/munge
    [[ -s /etc/munge/munge.key ]] || { dd if=/dev/urandom of=/etc/munge/munge.key bs=1024 count=1 status=none; }
    chown munge:munge /etc/munge/munge.key && chmod 400 /etc/munge/munge.key
    running munged || runuser -u munge -- /usr/sbin/munged
    mkdir -p /run/mysqld && chown mysql:mysql /run/mysqld
    if ! running mariadbd; then
        (runuser -u mysql -- /usr/sbin/mariadbd --bind-address=127.0.0.1 >/var/log/slurm/mariadb.log 2>&1 &)
        for _ in $(seq 60); do mariadb -e 'select 1' >/dev/null 2>&1 && break; sleep 0.5; done
    fi
    mariadb -e "CREATE USER IF NOT EXISTS 'slurm'@'localhost' IDENTIFIED BY '$DB_PASS';
                CREATE USER IF NOT EXISTS 'slurm'@'127.0.0.1' IDENTIFIED BY '$DB_PASS';
                GRANT ALL ON slurm_acct_db.* TO 'slurm'@'localhost';
                GRANT ALL ON slurm_acct_db.* TO 'slurm'@'127.0.0.1';"
    running slurmdbd || /usr/sbin/slurmdbd
    for _ in $(seq 60); do sacctmgr -n list cluster >/dev/null 2>&1 && break; sleep 0.5; done
    sacctmgr -n list cluster format=cluster | grep -qw "$CLUSTER" || sacctmgr -i add cluster "$CLUSTER" >/dev/null
    running slurmctld || /usr/sbin/slurmctld
    running slurmd || /usr/sbin/slurmd
    for _ in $(seq 60); do sinfo -h -o %T 2>/dev/null | grep -qE '^(idle|mixed|allocated)' && break; sleep 0.5; done
    scontrol update nodename="$NODE" state=resume >/dev/null 2>&1 || true
    sinfo
}

stop() {
    for daemon in slurmd slurmctld slurmdbd; do pkill -x "$daemon" || true; done
    pkill -x mariadbd || true
    pkill -x munged || true
    # With slurm.conf present but no controller, every `scontrol` waits ~10 s for it, and
    # snakemake-executor-plugin-slurm runs `scontrol show config` when Snakemake imports
    # it, i.e. at every snakemake start. Without the file scontrol fails at once; `start`
    # writes it again.
    rm -f /etc/slurm/slurm.conf
}

case "${1:-}" in
    install) install ;;
    start) start ;;
    stop) stop ;;
    status) sinfo ;;
    *) echo "usage: $0 install|start|stop|status" >&2; exit 2 ;;
esac
