import type { TokenHandlerConfig } from "./tokenHandlerConfig.js";

/** What the handler will answer, before it becomes a `Response`. @internal */
export interface Answer {
  status: number;
  body: Record<string, string | number> | null;
  cookie?: string;
  /** The upstream's `Retry-After`, on a 429 or 503 only. */
  retryAfter?: string;
}

/** An OAuth error answer (RFC 6749 §5.2). @internal */
export function fail(status: number, error: string, description: string): Answer {
  return { status, body: { error, error_description: description } };
}

/**
 * The `Response` of an {@link Answer}: JSON with the no-store headers, no CORS header, and no
 * upstream header but `Retry-After`. Reports error answers to `onError`, which cannot change them.
 *
 * @internal
 */
export function respond(config: TokenHandlerConfig, answer: Answer): Response {
  const headers = new Headers({
    "Content-Type": "application/json;charset=UTF-8",
    // RFC 6749 §5.1: token answers must not be cached anywhere.
    "Cache-Control": "no-store",
    Pragma: "no-cache",
    "X-Content-Type-Options": "nosniff",
  });
  if (answer.status === 405) headers.set("Allow", "POST, DELETE");
  if (answer.cookie) headers.append("Set-Cookie", answer.cookie);
  if (answer.retryAfter !== undefined && (answer.status === 429 || answer.status === 503)) headers.set("Retry-After", answer.retryAfter);
  if (answer.status >= 400 && config.onError) {
    try {
      config.onError({ status: answer.status, error: String(answer.body?.error), error_description: String(answer.body?.error_description ?? "") });
    } catch {
      // A failing logger must not change the answer.
    }
  }
  if (answer.body === null) {
    headers.delete("Content-Type");
    return new Response(null, { status: answer.status, headers });
  }
  return new Response(JSON.stringify(answer.body), { status: answer.status, headers });
}

/** Stops an upload we will not read instead of letting it drain. @internal */
export function cancelBody(request: Request): void {
  if (request.body !== null && !request.bodyUsed) request.body.cancel().catch(() => {});
}
