/**
 * Where Slack sends slash commands and interactivity in HTTP mode: Bolt's receiver and portbot's
 * server route it, and the Slack app manifest (deploy/slack/manifest.yaml) must name it.
 */
export const SLACK_EVENTS_PATH = '/slack/events';
