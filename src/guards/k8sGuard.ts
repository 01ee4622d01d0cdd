import { PortbotError } from '../domain/PortbotError';

export const GUARD_POLICY_NAME = 'portbot-lb-port-guard';
/** A namespace labelled with this (value `exempt`) is not checked, e.g. the LB's own. */
export const EXEMPT_LABEL = 'portbot.io/lb-guard';
/** Inventory label naming the Kubernetes node when it differs from the host name. */
export const NODE_LABEL = 'kubernetes.io/hostname';

// A node name is a DNS subdomain: nothing here can break out of a CEL string literal.
const NODE_NAME = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;

export interface GuardNode {
  host: string;
  /** The Kubernetes node name: the inventory label kubernetes.io/hostname, else the host name. */
  node: string;
  ports: readonly number[];
}

export function nodeNameOf(host: { name: string; labels: Record<string, string> }): string {
  const node = host.labels[NODE_LABEL] ?? host.name;
  if (node.length > 253 || !NODE_NAME.test(node)) {
    throw new PortbotError(
      'INVENTORY_INVALID',
      `host ${host.name}: ${JSON.stringify(node.slice(0, 64))} is not a Kubernetes node name (lower-case DNS subdomain); set the label ${NODE_LABEL}`,
    );
  }
  return node;
}

const SPEC = 'object.spec';
const TERMS = `${SPEC}.affinity.nodeAffinity.requiredDuringSchedulingIgnoredDuringExecution`;

/** A node-name requirement of one term lets node `n` through (other keys are not judged here). */
function allows(list: string, item: string, key: string): string {
  const hasValues = `(has(${item}.values) && n in ${item}.values)`;
  return (
    `(!has(t.${list}) || t.${list}.all(${item}, ${item}.key != '${key}' || ` +
    `(${item}.operator == 'In' ? ${hasValues} : ${item}.operator == 'NotIn' ? !${hasValues} : true)))`
  );
}

/**
 * Whether the pod may be scheduled on LB node `n`: spec.nodeName decides when set; otherwise a
 * kubernetes.io/hostname nodeSelector and the required node-affinity terms (matchFields
 * metadata.name, as DaemonSets use, or matchExpressions kubernetes.io/hostname) may rule it
 * out. A pod pinned by none of these may land on any node, so it counts for every LB node.
 */
const MAY_RUN_ON_N =
  `(has(${SPEC}.nodeName) && ${SPEC}.nodeName != '') ? ${SPEC}.nodeName == n : ` +
  `((!has(${SPEC}.nodeSelector) || !('${NODE_LABEL}' in ${SPEC}.nodeSelector) || ${SPEC}.nodeSelector['${NODE_LABEL}'] == n) && ` +
  `(size(variables.nodeTerms) == 0 || variables.nodeTerms.exists(t, ` +
  `${allows('matchFields', 'f', 'metadata.name')} && ${allows('matchExpressions', 'e', NODE_LABEL)})))`;

/** Pure: the ValidatingAdmissionPolicy and its binding, as plain objects (the CLI prints YAML). */
export function k8sGuard(
  nodes: readonly GuardNode[],
): [Record<string, unknown>, Record<string, unknown>] {
  if (nodes.length === 0) {
    throw new PortbotError('USAGE', 'no LB host with known ports was selected: nothing to protect');
  }
  const byNode = new Map<string, Set<number>>();
  for (const n of nodes) {
    const set = byNode.get(n.node) ?? new Set<number>();
    for (const p of n.ports) set.add(p);
    byNode.set(n.node, set);
  }
  const lbPorts = `{${[...byNode]
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([node, ports]) => `'${node}': [${[...ports].sort((a, b) => a - b).join(', ')}]`)
    .join(', ')}}`;
  const hosts = nodes.map((n) => n.host).join(', ');
  const policy = {
    apiVersion: 'admissionregistration.k8s.io/v1',
    kind: 'ValidatingAdmissionPolicy',
    metadata: {
      name: GUARD_POLICY_NAME,
      annotations: { 'portbot.io/generated-from': `inventory hosts ${hosts}`.slice(0, 250) },
    },
    spec: {
      failurePolicy: 'Fail',
      matchConstraints: {
        resourceRules: [
          {
            apiGroups: [''],
            apiVersions: ['v1'],
            operations: ['CREATE', 'UPDATE'],
            resources: ['pods'],
          },
        ],
      },
      variables: [
        { name: 'lbPorts', expression: lbPorts },
        {
          name: 'nodeTerms',
          expression:
            `has(${SPEC}.affinity) && has(${SPEC}.affinity.nodeAffinity) && ` +
            `has(${TERMS}) ? ${TERMS}.nodeSelectorTerms : []`,
        },
        { name: 'lbNodes', expression: `variables.lbPorts.filter(n, ${MAY_RUN_ON_N})` },
        {
          name: 'containers',
          expression: `${SPEC}.containers + (has(${SPEC}.initContainers) ? ${SPEC}.initContainers : [])`,
        },
      ],
      validations: [
        {
          expression: `!(has(${SPEC}.hostNetwork) && ${SPEC}.hostNetwork) || size(variables.lbNodes) == 0`,
          messageExpression:
            `'hostNetwork pods may not run on the load-balancer nodes ' + variables.lbNodes.join(', ') + ` +
            `': they could bind the LB ports. Pin the pod to other nodes (spec.nodeName, or a ${NODE_LABEL} NotIn node affinity).'`,
          reason: 'Forbidden',
        },
        {
          expression:
            'variables.containers.all(c, !has(c.ports) || c.ports.all(p, !has(p.hostPort) || ' +
            'variables.lbNodes.all(n, !(p.hostPort in variables.lbPorts[n]))))',
          messageExpression:
            `'a hostPort of this pod is an LB port of a node it may run on (' + variables.lbNodes.map(n, n + ': ' + ` +
            `variables.lbPorts[n].map(p, string(p)).join(',')).join('; ') + '): choose another hostPort or pin the pod elsewhere.'`,
          reason: 'Forbidden',
        },
      ],
    },
  };
  const binding = {
    apiVersion: 'admissionregistration.k8s.io/v1',
    kind: 'ValidatingAdmissionPolicyBinding',
    metadata: { name: GUARD_POLICY_NAME },
    spec: {
      policyName: GUARD_POLICY_NAME,
      validationActions: ['Deny'],
      matchResources: {
        namespaceSelector: {
          // kube-proxy and CNI agents are hostNetwork pods that must run on every node.
          matchExpressions: [
            { key: EXEMPT_LABEL, operator: 'NotIn', values: ['exempt'] },
            { key: 'kubernetes.io/metadata.name', operator: 'NotIn', values: ['kube-system'] },
          ],
        },
      },
    },
  };
  return [policy, binding];
}
