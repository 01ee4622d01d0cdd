import type { App } from '@slack/bolt';
import { errorMessage } from '../domain/errorMessage';
import { isPortbotError, PortbotError } from '../domain/PortbotError';
import { slackCall } from './slackCall';

/**
 * Opens the Socket Mode connection (apps.connections.open with SLACK_APP_TOKEN, then the
 * WebSocket, then Slack's hello). A refused token stops start-up with what to fix, instead of
 * Bolt's bare "An API error occurred".
 */
export async function startSocketMode(app: App): Promise<void> {
  try {
    await slackCall(() => app.start());
  } catch (err) {
    const answer = isPortbotError(err) ? err.message : errorMessage(err);
    throw new PortbotError(
      'SLACK_API',
      `Socket Mode could not connect: ${answer}. SLACK_APP_TOKEN must be the app's app-level ` +
        'token (xapp-…) with the connections:write scope',
      { userFacing: true, cause: err },
    );
  }
}
