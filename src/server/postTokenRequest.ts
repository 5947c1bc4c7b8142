import { readBoundedBytes } from "./readBoundedBytes.js";

/** How a token endpoint request ended. `json` is `undefined` when the answer was not JSON. @internal */
export type TokenEndpointOutcome =
  | { kind: "timeout" }
  | { kind: "network" }
  | { kind: "redirect"; status: number }
  | { kind: "unreadable"; status: number }
  | { kind: "answer"; status: number; json: unknown };

/** Token responses are small; this only stops a broken or hostile upstream from filling memory. */
const MAX_ANSWER_BYTES = 1024 * 1024;

/**
 * POSTs a form to the token endpoint with a deadline covering the answer's body too, and without
 * following redirects: a 307/308 would re-post the client secret to wherever it points.
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
): Promise<TokenEndpointOutcome> {
  const controller = new AbortController();
  const timer = setTimeout(() => controller.abort(), timeoutMs);
  try {
    let response: Response;
    try {
      response = await fetchFn(url, {
        method: "POST",
        headers: { "Content-Type": "application/x-www-form-urlencoded", Accept: "application/json" },
        body: body.toString(),
        redirect: "manual",
        signal: controller.signal,
      });
    } catch {
      return controller.signal.aborted ? { kind: "timeout" } : { kind: "network" };
    }
    if (typeof response !== "object" || response === null || typeof response.status !== "number") return { kind: "network" };
    const status = response.status;
    if (response.type === "opaqueredirect" || (status >= 300 && status < 400) || status === 0) {
      response.body?.cancel().catch(() => {});
      return { kind: "redirect", status };
    }
    const read = await readBoundedBytes(response.body, MAX_ANSWER_BYTES, controller.signal);
    if (read.kind === "timeout") return { kind: "timeout" };
    if (read.kind !== "ok") return { kind: "unreadable", status };
    let json: unknown;
    try {
      json = JSON.parse(new TextDecoder("utf-8", { fatal: true }).decode(read.bytes));
    } catch {
      json = undefined;
    }
    return { kind: "answer", status, json };
  } finally {
    clearTimeout(timer);
  }
}
