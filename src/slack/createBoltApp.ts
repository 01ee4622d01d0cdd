import {
  App,
  HTTPReceiver,
  SocketModeReceiver,
  type AuthorizeSourceData,
  type Logger as BoltLogger,
} from '@slack/bolt';
import type { RequestListener } from 'node:http';
import { SLACK_EVENTS_PATH } from '../http/slackEventsPath';
import { handleActionButton } from '../commands/handleActionButton';
import { handlePortCommand, type PortCommandDeps } from '../commands/handlePortCommand';
import type { RemediationFlowDeps } from '../commands/RemediationFlowDeps';
import type { Log } from '../domain/Log';
import { PortbotError } from '../domain/PortbotError';
import { mayUseWorkspace } from '../policy/mayUseWorkspace';
import type { SlackPoster } from './SlackPoster';
import { guardSlackEvents, type SlackGuardDeps } from './guardSlackEvents';
import { oncePerEnvelope } from './oncePerEnvelope';
import { registerRemediationFlow } from './registerRemediationFlow';
import { ACTION_ID_PREFIX } from '../render/slack/actionButtons';
import { APPROVAL_ACTION_PREFIX } from '../render/slack/remediationIds';

export interface BoltAppOptions {
  token: string;
  mode: 'http' | 'socket';
  signingSecret?: string;
  appToken?: string;
  slackApiUrl?: string;
  logger: BoltLogger;
  log: Log;
  /** Every Web API post goes through the port, as the worker's do (retries, fakes, one adapter). */
  poster: SlackPoster;
  portCommand: PortCommandDeps;
  /**
   * What /slack/events refuses before Bolt runs (HTTP mode): replays, foreign workspaces, … In
   * Socket Mode nothing is signed or replayed (portbot opened the connection), and only the
   * workspace check applies, in Bolt's authorize.
   */
  guard: Omit<SlackGuardDeps, 'signingSecret' | 'log'>;
  /** The approval flow; absent, remediation buttons only explain that nothing runs. */
  remediation?: RemediationFlowDeps;
}

export interface BoltApp {
  app: App;
  /** HTTP mode: mounted on portbot's own server at SLACK_EVENTS_PATH. */
  listener?: RequestListener;
  /** Socket Mode: the receiver whose WebSocket `app.start()` opens. */
  socketMode?: SocketModeReceiver;
}

/**
 * Bolt does transport only: verify, ack within 3 s, hand the text to handlePortCommand.
The same handlers serve both modes; only the receiver differs.
 *
 * The quick answer rides on ack() because that is the answer to Slack (the HTTP response, or in
 * Socket Mode the ack's payload), not a Web API call. Later answers go through `SlackPoster.postEphemeral` rather than respond(): a
 * response_url would only add reach into channels the bot is not in, where portbot cannot post
 * its threads anyway, and one path keeps every post on the same adapter and retry policy.
 */
export function createBoltApp(opts: BoltAppOptions): BoltApp {
  const clientOptions = opts.slackApiUrl ? { slackApiUrl: opts.slackApiUrl } : {};
  // Not `token`: Bolt then calls auth.test before every event and drops the event when Slack's
  // API is down, so an approve or deny click would be lost in a Slack outage. The handlers post
  // through SlackPoster and need no bot ids (no message events are handled).
  const authorize = () => Promise.resolve({ botToken: opts.token });
  let app: App;
  let listener: RequestListener | undefined;
  let socketMode: SocketModeReceiver | undefined;
  if (opts.mode === 'socket') {
    // apps.connections.open goes to slackApiUrl too (the local Slack in tests).
    socketMode = new SocketModeReceiver({
      appToken: opts.appToken ?? '',
      logger: opts.logger,
      installerOptions: { clientOptions },
      // Lands in each listener's context: the key that makes a redelivered envelope run once.
      customPropertiesExtractor: (args: { envelope_id?: unknown }) => ({
        envelopeId: typeof args.envelope_id === 'string' ? args.envelope_id : null,
      }),
    });
    app = new App({
      authorize: (source: AuthorizeSourceData<boolean>) => authorizeWorkspace(opts, source),
      receiver: socketMode,
      logger: opts.logger,
      clientOptions,
    });
  } else {
    const receiver = new HTTPReceiver({
      signingSecret: opts.signingSecret ?? '',
      endpoints: SLACK_EVENTS_PATH,
      logger: opts.logger,
      // guardSlackEvents verifies (and keys replays on) exactly what was signed, before Bolt.
      signatureVerification: false,
    });
    app = new App({ authorize, receiver, logger: opts.logger, clientOptions });
    listener = guardSlackEvents(receiver.requestListener, {
      ...opts.guard,
      signingSecret: opts.signingSecret ?? '',
      log: opts.log,
    });
  }

  if (socketMode) app.use(oncePerEnvelope(opts.guard.claimOnce, opts.log));

  // Bolt leaves an action no listener matches unanswered: Slack would wait 3 s for a 404 and
  // Bolt log an error. A click on a button portbot no longer has (an old message) is answered.
  app.action(UNKNOWN_ACTION_ID, async ({ ack, body, action }) => {
    await ack();
    const actionId = 'action_id' in action ? action.action_id : '';
    opts.log.warn(
      { user: body.user.id, actionId: actionId.slice(0, 100) },
      'unknown action ignored',
    );
  });
  app.command('/port', async ({ ack, command }) => {
    const plan = handlePortCommand(opts.portCommand, {
      text: command.text,
      userId: command.user_id,
      channelId: command.channel_id,
    });
    await ack(plan.reply ? { response_type: 'ephemeral', ...plan.reply } : undefined);
    if (!plan.afterAck) return;
    const later = await plan.afterAck();
    if (later) {
      await opts.poster.postEphemeral({
        channel: command.channel_id,
        user: command.user_id,
        ...later,
      });
    }
  });
  if (opts.remediation) {
    registerRemediationFlow(app, opts.remediation);
    return boltApp(app, listener, socketMode);
  }
  app.action(/^portbot:action:/, async ({ ack, body, action }) => {
    await ack();
    if (body.type !== 'block_actions' || !body.channel || !('action_id' in action)) return;
    const value = 'value' in action && typeof action.value === 'string' ? action.value : '';
    const answer = handleActionButton(opts.portCommand.policy, {
      actionId: action.action_id,
      value,
    });
    opts.log.info({ user: body.user.id, actionId: action.action_id }, 'remediation button refused');
    await opts.portCommand.audit({
      type: 'button.refused',
      actor: body.user.id,
      incidentId: null,
      host: null,
      port: null,
      detail: { actionId: action.action_id, value: value.slice(0, 500), channel: body.channel.id },
    });
    await opts.poster.postEphemeral({
      channel: body.channel.id,
      user: body.user.id,
      ...(body.message?.ts ? { threadTs: body.message.ts } : {}),
      ...answer,
    });
  });
  return boltApp(app, listener, socketMode);
}

/** Any action id outside the prefixes portbot's buttons use (see src/render/slack). */
const UNKNOWN_ACTION_ID = new RegExp(`^(?!${ACTION_ID_PREFIX}|${APPROVAL_ACTION_PREFIX})`);

function boltApp(
  app: App,
  listener: RequestListener | undefined,
  socketMode: SocketModeReceiver | undefined,
): BoltApp {
  return { app, ...(listener ? { listener } : {}), ...(socketMode ? { socketMode } : {}) };
}

/**
 * Socket Mode's authorize: a workspace the policy does not allow (an org-wide install) is refused
 * here, as guardSlackEvents refuses it in HTTP mode; Bolt then acks with nothing and runs no handler.
 */
function authorizeWorkspace(
  opts: BoltAppOptions,
  source: AuthorizeSourceData<boolean>,
): Promise<{ botToken: string }> {
  const team = source.teamId ?? null;
  const enterprise = source.enterpriseId ?? null;
  if (mayUseWorkspace(opts.guard.workspaces, team, enterprise)) {
    return Promise.resolve({ botToken: opts.token });
  }
  opts.log.warn({ team, enterprise }, 'slack request from another workspace refused');
  return Promise.reject(
    new PortbotError('WORKSPACE_REFUSED', 'this workspace may not use portbot', {
      userFacing: false,
    }),
  );
}
