import { createHmac, timingSafeEqual } from 'node:crypto';
import { canonicalJson } from '../audit/hashChain';
import type { ApprovalRecord, Identity } from './ApprovalState';

/**
 * Keyed MACs (HMAC-SHA256) over what serve recorded after verifying Slack's signed request: the
 * request bound to its plan digest and requester, and each approval. Someone who can write Redis
 * but lacks PORTBOT_APPROVAL_KEY cannot swap the plan or add an approval the worker accepts.
 */
export interface ApprovalSigner {
  sign(input: string): string;
  /** Constant-time comparison; false for anything that is not this key's MAC of `input`. */
  verify(input: string, mac: string): boolean;
}

export interface RequestMacFields {
  requestId: string;
  planDigest: string;
  requester: Identity;
  requestedAt: number;
  expiresAt: number;
}

/** The bytes the request's MAC covers: tagged canonical JSON, so no field can be shifted. */
export function requestMacInput(f: RequestMacFields): string {
  return canonicalJson({
    v: 1,
    kind: 'request',
    requestId: f.requestId,
    planDigest: f.planDigest,
    requester: { userId: f.requester.userId, teamId: f.requester.teamId },
    requestedAt: f.requestedAt,
    expiresAt: f.expiresAt,
  });
}

/** The bytes one approval's MAC covers: who, of which team, when, for which request and plan. */
export function approvalMacInput(
  requestId: string,
  planDigest: string,
  a: Omit<ApprovalRecord, 'mac'>,
): string {
  return canonicalJson({
    v: 1,
    kind: 'approval',
    requestId,
    planDigest,
    userId: a.userId,
    teamId: a.teamId,
    at: a.at,
  });
}

const MAC = /^[0-9a-f]{64}$/;

/** HMAC-SHA256 (hex) with `key`; the key never leaves this closure. */
export function approvalSigner(key: Buffer): ApprovalSigner {
  const sign = (input: string) => createHmac('sha256', key).update(input, 'utf8').digest('hex');
  return {
    sign,
    verify: (input, mac) =>
      MAC.test(mac) && timingSafeEqual(Buffer.from(sign(input), 'hex'), Buffer.from(mac, 'hex')),
  };
}
