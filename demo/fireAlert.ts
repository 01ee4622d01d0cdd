/**
 * Sends portbot one firing Alertmanager webhook (version 4) for host:port, as Alertmanager's
 * `bearer_token` setting would (deploy/alertmanager/); resolves with portbot's answer.
 */
export async function fireAlert(opts: {
  url: string;
  token: string;
  host: string;
  port: number;
}): Promise<{ status: number; body: string }> {
  const labels = { alertname: 'LbPortDown', host: opts.host, port: String(opts.port) };
  const payload = {
    receiver: 'portbot',
    status: 'firing',
    alerts: [
      {
        status: 'firing',
        labels: { ...labels, job: 'blackbox', severity: 'critical' },
        annotations: { summary: `HTTP on ${opts.host}:${opts.port} is not answering` },
        startsAt: new Date().toISOString(),
        endsAt: '0001-01-01T00:00:00Z',
        generatorURL: 'http://prometheus.demo:9090/graph',
        fingerprint: 'd3e0000000000080',
      },
    ],
    groupLabels: { alertname: 'LbPortDown' },
    commonLabels: labels,
    commonAnnotations: {},
    externalURL: 'http://alertmanager.demo:9093',
    version: '4',
    groupKey: '{}:{alertname="LbPortDown"}',
    truncatedAlerts: 0,
  };
  const res = await fetch(`${opts.url}/alerts/alertmanager`, {
    method: 'POST',
    headers: { authorization: `Bearer ${opts.token}`, 'content-type': 'application/json' },
    body: JSON.stringify(payload),
  });
  return { status: res.status, body: await res.text() };
}
