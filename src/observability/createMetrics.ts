import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';

export interface MetricsSources {
  countOpenIncidents?: () => Promise<number>;
  /** Jobs per queue, then per state: `{ diagnose: { waiting: 2, … }, … }`. */
  jobCounts?: () => Promise<Readonly<Record<string, Readonly<Record<string, number>>>>>;
}

/**
 * One registry per process (no module singletons); gauges read Redis at scrape time through
 * `sources`, which the service fills in once its stores exist.
 */
export function createMetrics(sources: MetricsSources = {}) {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry, prefix: 'portbot_process_' });
  const alertsReceived = new Counter({
    name: 'portbot_alerts_received_total',
    help: 'Alerts received, by source and what became of them',
    labelNames: ['source', 'outcome'] as const,
    registers: [registry],
  });
  const diagnosisSeconds = new Histogram({
    name: 'portbot_diagnosis_duration_seconds',
    help: 'Time from job start to diagnosis, by verdict',
    labelNames: ['verdict'] as const,
    buckets: [0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30],
    registers: [registry],
  });
  const sshErrors = new Counter({
    name: 'portbot_ssh_errors_total',
    help: 'SSH failures by class',
    labelNames: ['class'] as const,
    registers: [registry],
  });
  new Gauge({
    name: 'portbot_incidents_open',
    help: 'Incidents currently open',
    registers: [registry],
    async collect() {
      if (sources.countOpenIncidents) this.set(await sources.countOpenIncidents());
    },
  });
  new Gauge({
    name: 'portbot_jobs',
    help: 'Queue jobs by queue and state',
    labelNames: ['queue', 'state'] as const,
    registers: [registry],
    async collect() {
      if (!sources.jobCounts) return;
      for (const [queue, byState] of Object.entries(await sources.jobCounts()))
        for (const [state, value] of Object.entries(byState)) this.set({ queue, state }, value);
    },
  });
  return { registry, alertsReceived, diagnosisSeconds, sshErrors, sources };
}

export type Metrics = ReturnType<typeof createMetrics>;
