import { z } from 'zod';
import { formatPayloadIssues } from '../alerts/formatPayloadIssues';

/** The fields portbot acts on and audits; each must arrive exactly once, as one string. */
const SlashCommandSchema = z.object({
  command: z.string(),
  text: z.string(),
  user_id: z.string().min(1),
  channel_id: z.string().min(1),
  team_id: z.string().min(1),
  enterprise_id: z.string().optional(),
});

const SlackUserSchema = z.object({ id: z.string().min(1), team_id: z.string().optional() });
const EnterpriseSchema = z.object({ id: z.string() }).nullish();

/** Everything portbot's button handler reads and audits, so a half-formed click is a 400 here. */
const BlockActionsSchema = z.object({
  type: z.literal('block_actions'),
  user: SlackUserSchema,
  team: z.object({ id: z.string().min(1) }).nullable(),
  enterprise: EnterpriseSchema,
  channel: z.object({ id: z.string().min(1) }),
  actions: z.array(z.object({ action_id: z.string(), value: z.string().optional() })).min(1),
});

/** A submitted modal (the remediation request): what its handler reads, each exactly one string. */
const ViewSubmissionSchema = z.object({
  type: z.literal('view_submission'),
  user: SlackUserSchema,
  team: z.object({ id: z.string().min(1) }).nullish(),
  enterprise: EnterpriseSchema,
  view: z.object({
    callback_id: z.string(),
    private_metadata: z.string(),
    state: z.object({
      values: z.record(z.string(), z.record(z.string(), z.object({ value: z.string().nullish() }))),
    }),
  }),
});

const InteractivePayloadSchema = z.discriminatedUnion('type', [
  BlockActionsSchema,
  ViewSubmissionSchema,
]);

/**
 * Only the two envelopes Slack sends as JSON: Bolt would read `command`, `payload` or `actions`
 * in any other JSON body as a command or click that never passed the form checks above.
 */
const EventEnvelopeSchema = z.discriminatedUnion('type', [
  z.strictObject({
    type: z.literal('url_verification'),
    token: z.string().optional(),
    challenge: z.string(),
  }),
  z.object({
    type: z.literal('event_callback'),
    team_id: z.string().min(1),
    enterprise_id: z.string().nullish(),
    event: z.object({ type: z.string() }),
    command: z.never().optional(),
    payload: z.never().optional(),
    actions: z.never().optional(),
  }),
]);

/** Bolt parses forms with querystring, which keeps only the first 1000 fields and drops the rest. */
export const SLACK_FORM_MAX_FIELDS = 1000;

export interface SlackRequestIds {
  kind: 'command' | 'interactive' | 'event';
  /** Slack's url_verification handshake carries no workspace. */
  handshake: boolean;
  teamId: string | null;
  enterpriseId: string | null;
}

export type SlackFieldsResult = ({ ok: true } & SlackRequestIds) | { ok: false; error: string };

/**
 * Checks a verified Slack body before Bolt sees it: a form field sent twice would reach handlers
 * (and the audit log) as an array, a missing user as no actor at all. Bolt treats exactly
 * `application/x-www-form-urlencoded` as a form and everything else as JSON; so does this.
 */
export function checkSlackFields(
  contentType: string | undefined,
  rawBody: string,
): SlackFieldsResult {
  if (contentType !== 'application/x-www-form-urlencoded') return checkEvent(rawBody);
  const form = new URLSearchParams(rawBody);
  const fields: Record<string, string> = {};
  let count = 0;
  for (const [key, value] of form) {
    count += 1;
    if (count > SLACK_FORM_MAX_FIELDS)
      return { ok: false, error: `more than ${SLACK_FORM_MAX_FIELDS} form fields` };
    if (key in fields)
      return { ok: false, error: `form field '${key.slice(0, 40)}' appears more than once` };
    fields[key] = value;
  }
  if (fields.payload !== undefined) return checkInteractive(fields.payload);
  const parsed = SlashCommandSchema.safeParse(fields);
  if (!parsed.success) return invalid('slash command', parsed.error);
  const { team_id, enterprise_id } = parsed.data;
  return ids('command', false, team_id, enterprise_id ?? null);
}

function checkInteractive(payload: string): SlackFieldsResult {
  const json = parseJson(payload);
  if (json === undefined) return { ok: false, error: 'payload is not JSON' };
  const parsed = InteractivePayloadSchema.safeParse(json);
  if (!parsed.success) return invalid('interactive payload', parsed.error);
  const p = parsed.data;
  return ids('interactive', false, p.team?.id ?? p.user.team_id ?? null, p.enterprise?.id ?? null);
}

function checkEvent(body: string): SlackFieldsResult {
  const json = parseJson(body);
  if (json === undefined) return { ok: false, error: 'body is not JSON' };
  const parsed = EventEnvelopeSchema.safeParse(json);
  if (!parsed.success) return invalid('event', parsed.error);
  const e = parsed.data;
  if (e.type === 'url_verification') return ids('event', true, null, null);
  return ids('event', false, e.team_id, e.enterprise_id ?? null);
}

function ids(
  kind: SlackRequestIds['kind'],
  handshake: boolean,
  teamId: string | null,
  enterpriseId: string | null,
): SlackFieldsResult {
  return { ok: true, kind, handshake, teamId, enterpriseId };
}

function invalid(what: string, error: z.ZodError): { ok: false; error: string } {
  return { ok: false, error: `malformed ${what}: ${formatPayloadIssues(error.issues)}` };
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return undefined;
  }
}
