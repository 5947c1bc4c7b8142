import { readBoundedBytes } from "../readBoundedBytes.js";
import { errorAnswer, raceDeadline } from "./http.js";

/** What the proxy needs. @internal */
export interface ProxyContext {
  apiBase: URL;
  accountHeader: string;
  maxBodyBytes: number;
  timeoutMs: number;
  fetch: typeof fetch;
}

/** Request headers that reach the API, besides every `if-*` and the account header; everything else (cookies, hop-by-hop, `authorization`, `host`, …) stays here. */
const REQUEST_HEADERS = new Set(["accept", "accept-language", "content-type", "content-language"]);
/** Response headers that come back: describing the body, caching validators, `Retry-After`. Never `Set-Cookie`, CORS or hop-by-hop. */
const RESPONSE_HEADERS = new Set(["content-type", "content-language", "content-disposition", "etag", "last-modified", "retry-after"]);
/** Answers up to this size (with a Content-Length) are read whole rather than streamed. */
const SMALL_ANSWER_BYTES = 64 * 1024;
/** Encoded separators and dots an upstream (or a proxy before it) might decode into a path escape. */
const ENCODED_ESCAPE = /%(2f|5c|2e|00|25(2f|5c|2e))/i;

/**
 * The upstream URL for the part of the path after `…/api`, or `null` when it could leave
 * `apiBase`: an empty segment (`//evil.example`, an absolute URL), a backslash, a dot segment, or an
 * encoded slash, backslash, dot or NUL (also double-encoded). Only `apiBase`'s origin and path prefix
 * are ever reached.
 *
 * @see https://datatracker.ietf.org/doc/html/draft-ietf-oauth-browser-based-apps#section-6.1
 * @internal
 */
export function proxyTarget(apiBase: URL, rest: string, search: string): URL | null {
  if (!rest.startsWith("/") || rest === "/" || rest.includes("//") || rest.includes("\\") || ENCODED_ESCAPE.test(rest)) return null;
  if (rest.split("/").some((segment) => segment === "." || segment === "..")) return null;
  const prefix = apiBase.pathname.replace(/\/+$/, "");
  let target: URL;
  try {
    target = new URL(`${prefix}${rest}${search}`, apiBase.origin);
  } catch {
    return null;
  }
  // The parser must not have changed anything: what we checked is what is fetched.
  if (target.origin !== apiBase.origin || target.pathname !== `${prefix}${rest}`) return null;
  return target;
}

/**
 * Forwards one call to the API with the session's access token: method, query, allow-listed
 * headers, and the body streamed through a byte counter (413 past `maxBodyBytes`, whatever
 * `Content-Length` says); the answer's status, body and safe headers come back. No answer within
 * `timeoutMs` is a 504, even from a `fetch` that ignores its abort signal.
 *
 * @internal
 */
export async function proxyRequest(ctx: ProxyContext, request: Request, target: URL, accessToken: string): Promise<Response> {
  // One pass over the browser's headers (names arrive lower-cased), into a plain object fetch takes as is.
  const headers: Record<string, string> = {};
  request.headers.forEach((value, name) => {
    if (REQUEST_HEADERS.has(name) || name.startsWith("if-") || name === ctx.accountHeader) headers[name] = value;
  });
  headers["authorization"] = `Bearer ${accessToken}`;

  const declared = request.headers.get("content-length");
  if (declared !== null && Number(declared) > ctx.maxBodyBytes) {
    request.body?.cancel().catch(() => {});
    return errorAnswer(413, "invalid_request", "The request body is too large.");
  }
  const hasBody = request.method !== "GET" && request.method !== "HEAD" && request.body !== null;
  let tooLarge = false;
  let body: ReadableStream<Uint8Array> | null = null;
  if (hasBody) {
    let total = 0;
    const limit = ctx.maxBodyBytes;
    body = request.body!.pipeThrough(
      new TransformStream<Uint8Array, Uint8Array>({
        transform(chunk, controller) {
          total += chunk.byteLength;
          if (total > limit) {
            tooLarge = true;
            controller.error(new RangeError("body too large"));
            return;
          }
          controller.enqueue(chunk);
        },
      }),
    );
  }

  const controller = new AbortController();
  const init: RequestInit & { duplex?: "half" } = { method: request.method, headers, redirect: "manual", signal: controller.signal };
  if (body) {
    init.body = body;
    init.duplex = "half";
  }
  let outcome: Response | "timeout" | "failed";
  try {
    outcome = await raceDeadline(ctx.fetch(target.href, init), ctx.timeoutMs, controller);
  } catch {
    outcome = "failed";
  }
  if (tooLarge) {
    if (outcome instanceof Response) outcome.body?.cancel().catch(() => {});
    return errorAnswer(413, "invalid_request", "The request body is too large.");
  }
  if (outcome === "timeout") {
    body?.cancel().catch(() => {});
    return errorAnswer(504, "temporarily_unavailable", "The API did not answer in time.");
  }
  if (outcome === "failed" || typeof outcome !== "object" || typeof outcome.status !== "number") {
    return errorAnswer(502, "temporarily_unavailable", "The API is unavailable.");
  }
  const status = outcome.status;
  // A redirect would send the browser (or us, with the token) somewhere we did not check.
  if ((status >= 300 && status < 400 && status !== 304) || status < 200 || status > 599) {
    outcome.body?.cancel().catch(() => {});
    return errorAnswer(502, "temporarily_unavailable", "The API answered with a redirect.");
  }
  const out: Record<string, string> = { "cache-control": "no-store", "x-content-type-options": "nosniff" };
  outcome.headers.forEach((value, name) => {
    if (RESPONSE_HEADERS.has(name)) out[name] = value;
  });
  const empty = status === 204 || status === 304 || request.method === "HEAD";
  if (empty) {
    outcome.body?.cancel().catch(() => {});
    return new Response(null, { status, headers: out });
  }
  // A small answer of known length is read whole and sent with its length (one write, no chunked
  // framing); anything else streams. fetch decodes gzip/br, so an encoded answer's length is not the body's.
  const length = Number(outcome.headers.get("content-length") ?? NaN);
  if (length >= 0 && length <= SMALL_ANSWER_BYTES && !outcome.headers.has("content-encoding")) {
    // The same deadline again for the body (a plain timer on the call's own controller: cheaper than AbortSignal.timeout).
    const timer = setTimeout(() => controller.abort(), ctx.timeoutMs);
    const read = await readBoundedBytes(outcome.body, SMALL_ANSWER_BYTES, controller.signal).finally(() => clearTimeout(timer));
    if (read.kind === "timeout" || controller.signal.aborted) return errorAnswer(504, "temporarily_unavailable", "The API did not answer in time.");
    if (read.kind !== "ok") return errorAnswer(502, "temporarily_unavailable", "The API's answer could not be read.");
    out["content-length"] = String(read.bytes.byteLength);
    return new Response(read.bytes as Uint8Array<ArrayBuffer>, { status, headers: out });
  }
  return new Response(outcome.body, { status, headers: out });
}
