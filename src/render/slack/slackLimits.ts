/**
 * Slack's Block Kit and message limits, in characters (UTF-16 code units: never fewer than
 * Slack's own count). Sources, checked when written:
 * - https://docs.slack.dev/reference/block-kit/blocks (up to 50 blocks in each message)
 * - https://docs.slack.dev/reference/block-kit/blocks/header-block (text 150, block_id 255)
 * - https://api.slack.com/reference/block-kit/blocks#section (text 3000; fields 10 items, 2000 each)
 * - https://docs.slack.dev/reference/block-kit/blocks/context-block (elements 10)
 * - https://docs.slack.dev/reference/block-kit/blocks/actions-block (elements 25)
 * - https://docs.slack.dev/reference/block-kit/block-elements/button-element
 *   (text 75, action_id 255, value 2000, url 3000)
 * - https://api.slack.com/reference/block-kit/composition-objects#confirm
 *   (title 100, text 300, confirm 30, deny 30)
 * - https://api.slack.com/changelog/2018-04-truncating-really-long-messages (text 40,000)
 * - https://docs.slack.dev/reference/methods/chat.postMessage (100 attachments)
 * - https://docs.slack.dev/reference/block-kit/blocks/markdown-block (text 12,000)
 * One table for portbot's renderers and for the local Slack that enforces them in tests.
 */
export const SLACK_LIMITS = {
  blocksPerMessage: 50,
  blockIdChars: 255,
  headerTextChars: 150,
  sectionTextChars: 3000,
  sectionFields: 10,
  sectionFieldChars: 2000,
  contextElements: 10,
  /** Not stated for context elements; Slack's generic text-object limit. */
  contextElementChars: 3000,
  actionsElements: 25,
  buttonTextChars: 75,
  actionIdChars: 255,
  buttonValueChars: 2000,
  buttonUrlChars: 3000,
  confirmTitleChars: 100,
  confirmTextChars: 300,
  confirmButtonChars: 30,
  messageTextChars: 40_000,
  attachmentsPerMessage: 100,
  markdownBlockTextChars: 12_000,
  /**
   * Undocumented: chat.postMessage answers `msg_blocks_too_long` once the text of all blocks
   * together passes about 12,000 characters, far below 50 × 3000 (slackapi/bolt-js#2509,
   * #2867: rejected at 13,297 with markdown blocks, and at 11,341 counted text with sections).
   */
  messageBlocksTextChars: 12_000,
} as const;

/**
 * What portbot's own builders aim for, below Slack's limits so the JSON around the text and
 * Slack's own counting cannot tip a message over.
 */
export const RENDER_BUDGET = {
  /** Total block text of one message (see messageBlocksTextChars). */
  messageBlocksText: 10_000,
  /** Blocks per message, leaving room for a closing note. */
  blocks: 45,
  /** The `text` fallback: a notification line, not the report. */
  fallbackText: 300,
} as const;
