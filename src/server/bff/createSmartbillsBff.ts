import { callback, login } from "./loginRoutes.js";
import { answerFor, csrfRefusal, errorAnswer, loginRequired } from "./http.js";
import { resolveBffOptions, type BffContext, type SmartbillsBffOptions } from "./options.js";
import { proxyRequest, proxyTarget } from "./proxy.js";
import { activeSession } from "./refresh.js";
import { loadSession, publicSession, type SmartbillsSession } from "./session.js";
import { logout, session, userinfo } from "./sessionRoutes.js";

/**
 * The backend for frontend {@link createSmartbillsBff} makes: a Fetch-API handler mounted at
 * `basePath`, plus `getSession` for server code.
 *
 * @example
 * ```ts
 * const response: Response = await bff(request)
 * const session = await bff.getSession(request.headers)
 * ```
 */
export interface SmartbillsBff {
  (request: Request): Promise<Response>;
  /**
   * Who is signed in, for server components, loaders, route handlers and middleware: the session
   * of the request's cookie, or `null`. Never a token. Rejects with `temporarily_unavailable` when
   * the session store cannot answer.
   */
  getSession(input: Request | Headers | { get(name: string): string | null }): Promise<SmartbillsSession | null>;
}

const ROUTES: Record<string, { method: string; handle: (ctx: BffContext, request: Request) => Promise<Response> }> = {
  "/login": { method: "GET", handle: login },
  "/callback": { method: "GET", handle: callback },
  "/session": { method: "GET", handle: session },
  "/userinfo": { method: "GET", handle: userinfo },
  "/logout": { method: "POST", handle: logout },
};

/**
 * The most secure of the OAuth browser architectures: every token stays on this server. The
 * browser holds only an HttpOnly `__Host-` session cookie; sign-in, sign-out, who-is-signed-in and
 * every API call go through these routes, which add the access token (refreshed before it expires,
 * once per session across the fleet). Pair it with `<SmartbillsProvider bff="/api/smartbills">`.
 *
 * Routes under `basePath`: `GET /login`, `GET /callback`, `GET /session`, `GET /userinfo`,
 * `POST /logout`, and `* /api/<path>` → `${apiBaseUrl}/<path>`. Every non-GET route and every
 * `/api/*` call needs `X-Smartbills-Request: 1` and, when present, `Origin` equal to `appOrigin`.
 * No CORS headers, ever.
 *
 * @example
 * ```ts
 * const bff = createSmartbillsBff({
 *   clientId: process.env.SMARTBILLS_CLIENT_ID!, clientSecret: process.env.SMARTBILLS_CLIENT_SECRET!,
 *   appOrigin: "https://app.example.com", secret: process.env.SMARTBILLS_SESSION_SECRET!,
 * })
 * createServer(toNodeHandler(bff)).listen(3000) // or: export { bff as GET, bff as POST } in a Next.js route
 * ```
 * @throws TypeError naming the option, when an option is missing or invalid (a `secret` under 32 bytes).
 * @see https://datatracker.ietf.org/doc/html/draft-ietf-oauth-browser-based-apps#section-6.1
 */
export function createSmartbillsBff(options: SmartbillsBffOptions): SmartbillsBff {
  const ctx = resolveBffOptions(options);
  const apiPrefix = `${ctx.basePath}/api`;

  const handler = async (request: Request): Promise<Response> => {
    try {
      const url = new URL(request.url);
      const path = url.pathname;
      if (path === apiPrefix || path.startsWith(`${apiPrefix}/`)) return await api(ctx, request, path.slice(apiPrefix.length), url.search);
      if (!path.startsWith(`${ctx.basePath}/`)) return errorAnswer(404, "not_found", "No such route.");
      const route = ROUTES[path.slice(ctx.basePath.length)];
      if (!route) return errorAnswer(404, "not_found", "No such route.");
      if (request.method !== route.method) return errorAnswer(405, "invalid_request", "Method not allowed.", { Allow: route.method });
      if (route.method !== "GET") {
        const refused = csrfRefusal(request, ctx.appOrigin);
        if (refused) return refused;
      }
      return await route.handle(ctx, request);
    } catch (error) {
      return answerFor(error);
    }
  };

  const getSession: SmartbillsBff["getSession"] = async (input) => {
    const headers = input instanceof Request ? input.headers : input;
    const loaded = await loadSession(ctx, headers.get("cookie"));
    if (loaded === null) return null;
    try {
      return publicSession(ctx, await activeSession(ctx, loaded, false));
    } catch (error) {
      if ((error as { code?: unknown }).code === "login_required") return null;
      throw error;
    }
  };

  return Object.assign(handler, { getSession });
}

/** `* /api/<path>`: CSRF checks, then the target, then the session, then the call. Nothing is forwarded before all pass. */
async function api(ctx: BffContext, request: Request, rest: string, search: string): Promise<Response> {
  const refused = csrfRefusal(request, ctx.appOrigin);
  if (refused) return refused;
  const target = proxyTarget(ctx.apiBase, rest, search);
  if (target === null) return errorAnswer(400, "invalid_request", "The path may not leave the API.");
  const loaded = await loadSession(ctx, request.headers.get("cookie"));
  if (loaded === null) return answerFor(loginRequired());
  const current = await activeSession(ctx, loaded, true);
  const answer = await proxyRequest(ctx, request, target, current.accessToken);
  // A 401 to a token we thought valid (revoked, clocks apart): refresh once and retry once, for
  // requests without a body (a streamed body cannot be sent twice). A token under 10 s old is not
  // refreshed again: an API that refuses every token must not cause a refresh per call.
  const retryable = (request.method === "GET" || request.method === "HEAD") && current.refreshToken !== null;
  if (answer.status !== 401 || !retryable || ctx.now() - current.tokenIssuedAt < MIN_TOKEN_AGE_FOR_RETRY_MS) return answer;
  let renewed;
  try {
    renewed = await activeSession(ctx, { key: loaded.key, session: current }, true, current.accessToken);
  } catch (error) {
    if ((error as { code?: unknown }).code !== "login_required") return answer;
    answer.body?.cancel().catch(() => {});
    throw error;
  }
  if (renewed.accessToken === current.accessToken) return answer;
  answer.body?.cancel().catch(() => {});
  return proxyRequest(ctx, request, target, renewed.accessToken);
}

const MIN_TOKEN_AGE_FOR_RETRY_MS = 10_000;
