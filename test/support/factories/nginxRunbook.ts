import type { Runbook } from '../../../src/domain/Runbook';

/** An nginx runbook reading `configFile`, for the sweep batch run by the local shell. */
export function nginxRunbook(configFile: string): Runbook {
  return {
    kind: 'nginx',
    binary: '/usr/sbin/nginx',
    programs: ['nginx'],
    pidFile: '/run/nginx.pid',
    unit: 'nginx.service',
    configFile,
    errorLog: '/var/log/nginx/error.log',
    logPatterns: { addressInUse: 'x', permissionDenied: 'x', addressNotAvailable: 'x' },
    configListen: 'nginx-listen',
    commands: { configTest: 'nginx -t', start: 's', reload: 'r', restart: 'r', stop: 's' },
  };
}
