import { z } from 'zod';

/** What the page posts. Ids are Slack-shaped; the rest is bounded like Slack bounds it. */
const id = z.string().regex(/^[A-Z0-9]{2,32}$/);
const ts = z.string().regex(/^[0-9]{1,12}\.[0-9]{1,6}$/);

export const CommandRequestSchema = z.strictObject({
  user: id,
  channel: id,
  /** What follows "/port ". */
  text: z.string().max(4000),
});
export type CommandRequest = z.infer<typeof CommandRequestSchema>;

export const ClickRequestSchema = z.strictObject({
  user: id,
  channel: id,
  ts,
  actionId: z.string().min(1).max(255),
  blockId: z.string().max(255),
});
export type ClickRequest = z.infer<typeof ClickRequestSchema>;

export const SubmitRequestSchema = z.strictObject({
  user: id,
  viewId: id,
  values: z.record(z.string().max(255), z.record(z.string().max(255), z.string().max(3000))),
});
export type SubmitRequest = z.infer<typeof SubmitRequestSchema>;

export const CloseRequestSchema = z.strictObject({ user: id, viewId: id });
export type CloseRequest = z.infer<typeof CloseRequestSchema>;
