/**
 * Slack's documented payload limits, enforced by the stand-in with Slack's own error codes so a
 * payload that passes here is not rejected by the real API for size.
 *
 * Sources (checked against the reference pages, 2025):
 * - chat.postMessage / chat.update: https://docs.slack.dev/reference/methods/chat.postMessage
 *   ("Provide no more than 40,000 characters"; `msg_too_long`, `no_text`, `too_many_attachments`:
 *   "A maximum of 100 attachments", `invalid_blocks`, `invalid_blocks_format`),
 *   https://docs.slack.dev/reference/methods/chat.update (`message_not_found`).
 *   Note: for `text` Slack documents truncation beyond 40,000 chars and lists `msg_too_long`; the
 *   stand-in rejects, so an over-long text is caught in tests instead of silently cut.
 * - Blocks per message (50): https://docs.slack.dev/reference/block-kit/blocks
 * - Section: https://docs.slack.dev/reference/block-kit/blocks/section-block (text 1..3000,
 *   fields ≤10 items of ≤2000, block_id ≤255)
 * - Header: https://docs.slack.dev/reference/block-kit/blocks/header-block (plain_text ≤150)
 * - Context: https://docs.slack.dev/reference/block-kit/blocks/context-block (≤10 elements)
 * - Actions: https://docs.slack.dev/reference/block-kit/blocks/actions-block (≤25 elements)
 * - Markdown block: https://docs.slack.dev/reference/block-kit/blocks/markdown-block (≤12,000)
 * - Button: https://docs.slack.dev/reference/block-kit/block-elements/button-element (text ≤75,
 *   action_id ≤255, value ≤2000, url ≤3000)
 */
export const SLACK_LIMITS = {
  messageTextChars: 40_000,
  attachmentsPerMessage: 100,
  blocksPerMessage: 50,
  blockIdChars: 255,
  sectionTextChars: 3000,
  sectionFieldsCount: 10,
  sectionFieldTextChars: 2000,
  headerTextChars: 150,
  contextElements: 10,
  actionsElements: 25,
  markdownBlockTextChars: 12_000,
  actionIdChars: 255,
  buttonTextChars: 75,
  buttonValueChars: 2000,
  buttonUrlChars: 3000,
} as const;
