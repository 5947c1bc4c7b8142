import { SmartbillsAuthError, toSmartbillsAuthError } from "../../core/errors.js";

// Developer-only text is behind `process.env.NODE_ENV !== "production"`, written out where used (see core/dev.ts).
declare const process: { env: { NODE_ENV?: string } };

/** How long a call to the backend's own routes may take, answer read included. */
export const BFF_TIMEOUT_MS = 10_000;
/** The backend's own answers are a few hundred bytes; this much is a misbehaving server. */
const MAX_ANSWER_CHARS = 64 * 1024;

/** An answer of one of the backend's own routes. */
export interface BffAnswer {
  status: number;
  ok: boolean;
  /** The parsed JSON body; undefined when it is not JSON (HTML, garbage, too large, another content type). */
  json: unknown;
  response: Response;
}

/**
 * One call to a route of the backend for frontend (`/session`, `/userinfo`, `/logout`): the
 * session cookie goes along (same origin only), no redirect is followed, and the whole exchange,
 * body included, ends within {@link BFF_TIMEOUT_MS} even if `fetch` ignores its abort signal.
 * No answer rejects with `network_error`; any answer resolves, for the caller to judge.
 *
 * @example
 * ```ts
 * const { status, json } = await bffRequest(fetch, "/api/smartbills/session")
 * ```
 * @internal
 */
export async function bffRequest(send: typeof fetch, url: string, init: RequestInit = {}, timeoutMs = BFF_TIMEOUT_MS): Promise<BffAnswer> {
  const controller = new AbortController();
  let timer: ReturnType<typeof setTimeout> | undefined;
  const deadline = new Promise<never>((_, reject) => {
    timer = setTimeout(() => {
      controller.abort();
      reject(new SmartbillsAuthError("network_error", { description: process.env.NODE_ENV !== "production" ? `${url} did not answer in time.` : undefined }));
    }, timeoutMs);
  });
  const exchange = (async (): Promise<BffAnswer> => {
    const response = await send(url, { ...init, credentials: "same-origin", cache: "no-store", redirect: "manual", signal: controller.signal });
    const text = await readBounded(response);
    return { status: response.status, ok: response.ok, json: parseJson(response, text), response };
  })();
  exchange.catch(() => {});
  try {
    return await Promise.race([exchange, deadline]);
  } catch (error) {
    throw toSmartbillsAuthError(error, "network_error");
  } finally {
    clearTimeout(timer);
  }
}

/** The body as text, or null past `limit` characters (the rest is not read). @internal */
export async function readBounded(response: Response, limit = MAX_ANSWER_CHARS): Promise<string | null> {
  const reader = response.body?.getReader();
  if (!reader) return "";
  const decoder = new TextDecoder();
  let text = "";
  for (;;) {
    const { done, value } = await reader.read();
    if (done) return text + decoder.decode();
    text += decoder.decode(value, { stream: true });
    if (text.length > limit) {
      reader.cancel().catch(() => {});
      return null;
    }
  }
}

function parseJson(response: Response, text: string | null): unknown {
  // An HTML page (a SPA fallback where the backend is not mounted) is never read as an answer.
  if (text === null || !/^application\/(?:[\w.+-]+\+)?json\s*(?:;|$)/i.test(response.headers.get("content-type") ?? "")) return undefined;
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return undefined;
  }
}

/**
 * The error of an answer that is not the expected one. A 5xx or 429 is `network_error` whatever
 * its body says (transient: the UI waits rather than sending the user to sign in again); another
 * status keeps the backend's own OAuth error code (`login_required`, `unsupported`) when it sent a
 * well-formed one, else `fallback`. Never quotes the body.
 *
 * @internal
 */
export function answerError(answer: BffAnswer, fallback: string, what: string): SmartbillsAuthError {
  const code = (answer.json as { error?: unknown } | undefined)?.error;
  const transient = answer.status >= 500 || answer.status === 429;
  return new SmartbillsAuthError(transient ? "network_error" : typeof code === "string" && /^[a-z_]{1,64}$/.test(code) ? code : fallback, {
    description: process.env.NODE_ENV !== "production" ? `${what} answered HTTP ${answer.status}${answer.json === undefined ? " without JSON: is the backend for frontend mounted there?" : "."}` : undefined,
    status: answer.status,
    response: answer.response,
  });
}
