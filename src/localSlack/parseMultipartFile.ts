/**
 * The file bytes inside a multipart/form-data body (the first part that carries a filename, else
 * the first part). @slack/web-api uploads to the upload URL as multipart; curl users may send the
 * raw bytes instead, so anything that is not multipart is returned as is.
 */
export function parseMultipartFile(contentType: string | undefined, body: Buffer): Buffer {
  const boundary = /boundary=(?:"([^"]+)"|([^;]+))/i.exec(contentType ?? '');
  const mark = boundary?.[1] ?? boundary?.[2];
  if (!contentType?.toLowerCase().startsWith('multipart/form-data') || !mark) return body;
  const delimiter = Buffer.from(`--${mark}`);
  const parts: Buffer[] = [];
  let start = body.indexOf(delimiter);
  while (start !== -1) {
    const next = body.indexOf(delimiter, start + delimiter.length);
    if (next === -1) break;
    parts.push(body.subarray(start + delimiter.length, next));
    start = next;
  }
  const parsed = parts.map((part) => {
    const headerEnd = part.indexOf('\r\n\r\n');
    const headers = part.subarray(0, headerEnd).toString('utf8');
    // Each part ends with the CRLF that precedes the next delimiter.
    const content = part.subarray(headerEnd + 4, part.length - 2);
    return { hasFilename: /filename=/i.test(headers), content };
  });
  return (parsed.find((p) => p.hasFilename) ?? parsed[0])?.content ?? body;
}
