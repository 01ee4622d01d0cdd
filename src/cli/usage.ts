/** Each command's lines, written once: its own errors show them, `portbot help` shows all. */
export const DIAGNOSE_USAGE = `  portbot diagnose <host> <port> [--inventory FILE] [--sample DURATION] [--json]
  portbot diagnose --group <haGroup> <port> [--inventory FILE] [--concurrency N] [--sample DURATION] [--json]
  portbot diagnose --all <port> [--inventory FILE] [--concurrency N] [--sample DURATION] [--json]
                                    --sample 20s: when the port is free or healthy, watch it (every 100 ms, 100ms-60s)`;

export const PLAN_USAGE = `  portbot plan <host> <port> --action kill-occupant|restart-lb|reload-lb|reserve-port [--inventory FILE] [--policy FILE] [--json]
                                    the steps an approved remediation would run (dry run)`;

export const SERVICE_USAGE = `  portbot serve [--with-worker]     Slack bot, alert webhooks, health and metrics
  portbot worker                    queue workers: SSH diagnoses, Slack posts`;

export const AUDIT_USAGE = `  portbot audit verify              check the hash chain (exit 0 intact, 1 broken)
  portbot audit export [--since 7d|ISO] [--until 7d|ISO] [--format jsonl|csv] [--out FILE]
                                    audit reads AUDIT_REDIS_URL, else REDIS_URL (or REDIS_SENTINELS), else redis://127.0.0.1:PORTBOT_EMBEDDED_REDIS_PORT (6379)`;

export const DOCTOR_USAGE = `  portbot doctor [--inventory FILE] [--policy FILE] [--concurrency N] [--timeout MS] [--json]
                                    check configuration, Redis, Slack and SSH to every host (exit 0 all pass, 1 not)`;

export const GUARD_USAGE = `  portbot guard sysctl <host> | --host H | --group G | --all [--offline] [--inventory FILE] [--concurrency N]
                                    sysctl drop-in reserving each host's LB ports (merged with what is reserved)
  portbot guard k8s [<host> | --host H | --group G | --all] [--offline] [--inventory FILE] [--concurrency N]
                                    ValidatingAdmissionPolicy + binding protecting the LB nodes' ports`;

export const SWEEP_USAGE = `  portbot sweep [--group G | --all] [--inventory FILE] [--concurrency N] [--json]
                                    latent port-conflict risks per host (exit 0 none, 1 risks, 3 a host not swept)`;

const OTHER_USAGE = `  portbot --version
  portbot help`;

export const USAGE = `portbot — who holds the load balancer's port, and why

usage:
${DIAGNOSE_USAGE}
${PLAN_USAGE}
${SERVICE_USAGE}
${AUDIT_USAGE}
${DOCTOR_USAGE}
${GUARD_USAGE}
${SWEEP_USAGE}
${OTHER_USAGE}`;

/** A command's usage error: the message, then that command's lines. */
export function usageFor(section: string, message: string): string {
  return `${message}\nusage:\n${section}`;
}
