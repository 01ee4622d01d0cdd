/**
 * Largest alert body the HTTP layer reads (answer 413 beyond). Alertmanager groups are rarely
 * above a few KiB; this also bounds how many alerts one request can carry (about 8k minimal ones).
 */
export const ALERT_BODY_LIMIT_BYTES = 256 * 1024;

/**
 * Alerts one payload may carry; the rest are answered `ignored` (and audited once, in aggregate).
 * One authenticated sender must not open hundreds of incidents and SSH sessions in one request.
 */
export const MAX_ALERTS_PER_PAYLOAD = 100;
