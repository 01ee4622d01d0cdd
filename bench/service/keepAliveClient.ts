import { Agent, request } from 'node:http';

export interface PostResult {
  status: number;
  body: string;
}

export interface KeepAliveClient {
  /** POSTs a ready-made JSON body to 127.0.0.1:port; rejects only on transport errors. */
  postJson(port: number, path: string, body: Buffer, bearer: string): Promise<PostResult>;
  close(): void;
}

/**
 * node:http with a keep-alive agent, not fetch: a load generator on a 2-core machine must cost
 * as little as possible, and the socket count (= requests in flight) must be exactly what we set.
 */
export function createKeepAliveClient(maxSockets: number): KeepAliveClient {
  const agent = new Agent({ keepAlive: true, maxSockets, maxFreeSockets: maxSockets });
  return {
    postJson: (port, path, body, bearer) =>
      new Promise<PostResult>((resolve, reject) => {
        const req = request(
          {
            host: '127.0.0.1',
            port,
            path,
            method: 'POST',
            agent,
            headers: {
              'content-type': 'application/json',
              'content-length': body.length,
              authorization: `Bearer ${bearer}`,
            },
          },
          (res) => {
            const chunks: Buffer[] = [];
            res.on('data', (c: Buffer) => chunks.push(c));
            res.on('end', () =>
              resolve({
                status: res.statusCode ?? 0,
                body: Buffer.concat(chunks).toString('utf8'),
              }),
            );
            res.on('error', reject);
          },
        );
        req.on('error', reject);
        req.end(body);
      }),
    close: () => agent.destroy(),
  };
}
