/** POSTs to serve's workspace routes, with the page token the server put in index.html. */
const token =
  document.querySelector('meta[name="portbot-page-token"]')?.getAttribute('content') ?? '';

export function pageToken(): string {
  return token;
}

export interface ApiAnswer {
  ok: boolean;
  error?: string;
}

export async function post(path: string, body: unknown): Promise<ApiAnswer> {
  try {
    const res = await fetch(`/workspace/${path}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-portbot-page': token },
      body: JSON.stringify(body),
    });
    const answer = (await res.json()) as ApiAnswer;
    return res.ok ? answer : { ok: false, error: answer.error ?? `HTTP ${res.status}` };
  } catch (err) {
    return { ok: false, error: String(err) };
  }
}
