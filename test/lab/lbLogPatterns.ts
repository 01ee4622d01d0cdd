import type { LabLbKind } from './labTypes';

export type BindFailure = 'inUse' | 'permission' | 'notAvailable';

/** The bind errors as nginx 1.22 and HAProxy 2.6 print them (measured; docs/reference/verdicts.md). */
export const BIND_ERRORS: Record<LabLbKind, Record<BindFailure, RegExp>> = {
  nginx: {
    inUse: /bind\(\) to \S+ failed \(98: Address already in use\)/,
    permission: /bind\(\) to \S+ failed \(13: Permission denied\)/,
    notAvailable: /bind\(\) to \S+ failed \(99: Cannot assign requested address\)/,
  },
  haproxy: {
    inUse: /cannot bind socket \(Address already in use\)/,
    permission: /cannot bind socket \(Permission denied\)/,
    notAvailable: /cannot bind socket \(Cannot assign requested address\)/,
  },
};

/** Where each LB kind's errors land inside a host (same paths as the lab inventory). */
export const LB_LOG: Record<LabLbKind, string> = {
  nginx: 'var/log/nginx/error.log',
  haproxy: 'var/log/haproxy.log',
};
