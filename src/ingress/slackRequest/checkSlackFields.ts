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

const InteractivePayloadSchema = z.object({
  type: z.string(),
  user: z.object({ id: z.string().min(1), team_id: z.string().optional() }),
  team: z.object({ id: z.string() }).nullish(),
  enterprise: z.object({ id: z.string() }).nullish(),
});

const EventEnvelopeSchema = z.object({
  type: z.string(),
  team_id: z.string().optional(),
  enterprise_id: z.string().nullish(),
});

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
  for (const [key, value] of form) {
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
  return ids('event', e.type === 'url_verification', e.team_id ?? null, e.enterprise_id ?? null);
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
