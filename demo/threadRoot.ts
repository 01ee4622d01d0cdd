import { LOCAL_SLACK_TOKEN } from '../src/localSlack/LocalSlackStore';

export interface ChannelMessage {
  ts: string;
  text?: string;
  reply_count?: number;
}

/**
 * The newest message of the channel whose text matches, read from the local Slack's Web API
 * (conversations.history) as any Slack client would; null while there is none.
 */
export async function threadRoot(
  slackApiUrl: string,
  channel: string,
  match: RegExp,
): Promise<ChannelMessage | null> {
  const res = await fetch(`${slackApiUrl}conversations.history`, {
    method: 'POST',
    headers: {
      authorization: `Bearer ${LOCAL_SLACK_TOKEN}`,
      'content-type': 'application/x-www-form-urlencoded',
    },
    body: new URLSearchParams({ channel }).toString(),
  });
  const body = (await res.json()) as { ok: boolean; messages?: ChannelMessage[] };
  if (!body.ok) return null;
  return (body.messages ?? []).find((m) => match.test(m.text ?? '')) ?? null;
}
