import type { IncomingMessage, ServerResponse } from 'node:http';

/** Extra pages served beside the API (local mode's workspace page): routed before the 404. */
export interface PageRoutes {
  handles(path: string): boolean;
  handle(req: IncomingMessage, res: ServerResponse): Promise<void>;
  /** Ends long-lived answers (event streams), so the server can close. */
  close(): void;
}
