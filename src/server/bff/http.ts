import { SmartbillsAuthError } from "../../core/errors.js";

/** The header every state-changing route and every proxied call needs (a cross-site form cannot set it). @internal */
export const CSRF_HEADER = "x-smartbills-request";

/** Headers on every answer the BFF writes itself: never cached, never sniffed. */
const SAFE_HEADERS: Record<string, string> = {
  "Cache-Control": "no-store",
  Pragma: "no-cache",
  "X-Content-Type-Options": "nosniff",
};

/** A JSON answer with the BFF's safe headers (and no CORS header, ever). @internal */
export function jsonAnswer(status: number, body: unknown, extra: HeadersInit = {}): Response {
  const headers = new Headers(SAFE_HEADERS);
  headers.set("Content-Type", "application/json; charset=utf-8");
  for (const [name, value] of new Headers(extra)) headers.append(name, value);
  // new Headers(extra) joins Set-Cookie values; keep each one.
  if (extra instanceof Headers) {
    headers.delete("set-cookie");
    for (const cookie of extra.getSetCookie()) headers.append("Set-Cookie", cookie);
  }
  return new Response(JSON.stringify(body), { status, headers });
}

/** An OAuth error JSON `{error, error_description}`. @internal */
export function errorAnswer(status: number, error: string, description: string, extra: HeadersInit = {}): Response {
  return jsonAnswer(status, { error, error_description: description }, extra);
}

/** A 302 to `location` (a same-origin path or the authorize URL), with cookies. @internal */
export function redirectAnswer(location: string, cookies: readonly string[]): Response {
  const headers = new Headers(SAFE_HEADERS);
  headers.set("Location", location);
  for (const cookie of cookies) headers.append("Set-Cookie", cookie);
  return new Response(null, { status: 302, headers });
}

/**
 * Turns a thrown value into an answer: a `SmartbillsAuthError` keeps its code and status (4xx, or
 * 502/503/504 where an upstream is at fault); anything else is a generic 500 that quotes nothing.
 *
 * @internal
 */
export function answerFor(error: unknown, cookies: readonly string[] = []): Response {
  const headers = new Headers();
  for (const cookie of cookies) headers.append("Set-Cookie", cookie);
  if (error instanceof SmartbillsAuthError) {
    const status = error.status && error.status >= 400 && error.status <= 599 ? error.status : 400;
    return errorAnswer(status, error.code, error.description ?? error.code, headers);
  }
  return errorAnswer(500, "server_error", "Unexpected error.", headers);
}

/**
 * The CSRF defence of state-changing routes and of every proxied call: the custom header (which a
 * cross-site page cannot send without a CORS preflight we never answer) and, when the browser sent
 * one, an `Origin` equal to the app's.
 *
 * @see https://datatracker.ietf.org/doc/html/draft-ietf-oauth-browser-based-apps#section-6.1.3.2
 * @internal
 */
export function csrfRefusal(request: Request, appOrigin: string): Response | null {
  if (request.headers.get(CSRF_HEADER) !== "1") return errorAnswer(403, "access_denied", `The ${CSRF_HEADER}: 1 header is required.`);
  const origin = request.headers.get("origin");
  if (origin !== null && origin !== appOrigin) return errorAnswer(403, "access_denied", "Foreign origin.");
  return null;
}

/** An upstream that failed us: 502 (unreachable, broken), 504 (too slow). @internal */
export function upstreamError(kind: "timeout" | "failed", what: string): SmartbillsAuthError {
  return new SmartbillsAuthError("temporarily_unavailable", {
    description: kind === "timeout" ? `${what} did not answer in time.` : `${what} is unavailable.`,
    status: kind === "timeout" ? 504 : 502,
  });
}

/** 401 `login_required`: no session, or it ended. @internal */
export function loginRequired(description = "Sign in first."): SmartbillsAuthError {
  return new SmartbillsAuthError("login_required", { description, status: 401 });
}

/**
 * `promise`, or `onTimeout()` after `ms` even if `promise` never settles (a `fetch` that ignores
 * its abort signal); `controller` is aborted at the deadline.
 *
 * @internal
 */
export function raceDeadline<T>(promise: Promise<T>, ms: number, controller: AbortController): Promise<T | "timeout"> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  promise.catch(() => {});
  const deadline = new Promise<"timeout">((resolve) => {
    timer = setTimeout(() => {
      controller.abort();
      resolve("timeout");
    }, ms);
  });
  return Promise.race([promise, deadline]).finally(() => clearTimeout(timer));
}
