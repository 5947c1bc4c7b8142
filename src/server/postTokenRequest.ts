import { readBoundedBytes } from "./readBoundedBytes.js";

/**
 * How a token (or revocation) endpoint request ended. `json` is `undefined` when the answer was
 * not JSON; `retryAfter` is the upstream's raw `Retry-After` on a 429 or 503, else null.
 *
 * @internal
 */
export type TokenEndpointOutcome =
  | { kind: "timeout" }
  | { kind: "network" }
  | { kind: "redirect"; status: number }
  | { kind: "unreadable"; status: number }
  | { kind: "answer"; status: number; json: unknown; retryAfter: string | null };

/** Token responses are small; this only stops a broken or hostile upstream from filling memory. */
const MAX_ANSWER_BYTES = 1024 * 1024;

/**
 * POSTs a form to the token endpoint with a deadline covering the answer's body too, and without
 * following redirects: a 307/308 would re-post the client secret to wherever it points. The
 * request is raced against the deadline, not only aborted: a custom `fetch` that ignores its
 * signal still ends at `timeoutMs`.
 *
 * @see https://www.rfc-editor.org/rfc/rfc6749#section-3.2
 * @see https://www.rfc-editor.org/rfc/rfc9700#section-4.12
 * @internal
 */
export async function postTokenRequest(
  fetchFn: typeof fetch,
  url: string,
  body: URLSearchParams,
  timeoutMs: number,
  headers: Headers = new Headers(),
): Promise<TokenEndpointOutcome> {
  const controller = new AbortController();
  let timer: ReturnType<typeof setTimeout> | undefined;
  const deadline = new Promise<TokenEndpointOutcome>((resolve) => {
    timer = setTimeout(() => {
      controller.abort();
      resolve({ kind: "timeout" });
    }, timeoutMs);
  });
  try {
    return await Promise.race([send(fetchFn, url, body, headers, controller.signal), deadline]);
  } finally {
    clearTimeout(timer);
  }
}

async function send(fetchFn: typeof fetch, url: string, body: URLSearchParams, headers: Headers, signal: AbortSignal): Promise<TokenEndpointOutcome> {
  headers.set("Content-Type", "application/x-www-form-urlencoded");
  headers.set("Accept", "application/json");
  let response: Response;
  try {
    response = await fetchFn(url, { method: "POST", headers, body: body.toString(), redirect: "manual", signal });
  } catch {
    return signal.aborted ? { kind: "timeout" } : { kind: "network" };
  }
  if (typeof response !== "object" || response === null || typeof response.status !== "number") return { kind: "network" };
  const status = response.status;
  if (response.type === "opaqueredirect" || (status >= 300 && status < 400) || status === 0) {
    response.body?.cancel().catch(() => {});
    return { kind: "redirect", status };
  }
  const retryAfter = status === 429 || status === 503 ? readHeader(response, "retry-after") : null;
  const read = await readBoundedBytes(response.body, MAX_ANSWER_BYTES, signal);
  if (read.kind === "timeout") return { kind: "timeout" };
  if (read.kind !== "ok") return { kind: "unreadable", status };
  let json: unknown;
  try {
    json = JSON.parse(new TextDecoder("utf-8", { fatal: true }).decode(read.bytes));
  } catch {
    json = undefined;
  }
  return { kind: "answer", status, json, retryAfter };
}

function readHeader(response: Response, name: string): string | null {
  try {
    return response.headers.get(name);
  } catch {
    // A fake Response without headers: there is nothing to pass on.
    return null;
  }
}
