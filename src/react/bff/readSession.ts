import { SmartbillsAuthError } from "../../core/errors.js";
import type { SmartbillsUser } from "../../core/idToken.js";
import { answerError, type BffAnswer } from "./bffRequest.js";
import type { BffSessionData } from "./bffTypes.js";

// Developer-only text is behind `process.env.NODE_ENV !== "production"`, written out where used (see core/dev.ts).
declare const process: { env: { NODE_ENV?: string } };

/** Fields that must never reach the page, wherever a misconfigured backend put them. */
const TOKEN_FIELDS = new Set(["access_token", "refresh_token", "id_token", "accessToken", "refreshToken", "idToken"]);

/** A `Date` this far from the browser's clock is not believed. */
const MAX_SKEW_MS = 24 * 3600_000;

/**
 * Reads an answer of `GET ${bff}/session` strictly. `{ authenticated: false }` (or a 401) is no
 * session; `{ authenticated: true, user, expiresAt, scope }` is one, and only those fields are
 * kept (a token the backend should not have sent is dropped, never exposed). The server's
 * `expiresAt` is moved to this browser's clock by the answer's `Date`, so a browser whose clock is
 * off does not see a live session as ended (or an ended one as live). Anything else (HTML,
 * garbage, a wrong type, a 4xx) throws `invalid_response`; a 5xx throws `network_error`.
 *
 * @example
 * ```ts
 * const session = readSession(await bffRequest(fetch, "/api/smartbills/session"), Date.now())
 * ```
 * @internal
 */
export function readSession(answer: BffAnswer, now: number): BffSessionData | null {
  if (answer.status === 401) return null;
  if (answer.status !== 200) throw answerError(answer, "invalid_response", "The session route");
  const body = answer.json as Record<string, unknown> | undefined;
  if (!isObject(body) || typeof body["authenticated"] !== "boolean") throw invalid(answer, "is not a session object");
  if (!body["authenticated"]) return null;
  const { expiresAt, scope, authenticatedAt } = body;
  const user = body["user"] ?? null;
  if (typeof expiresAt !== "number" || !Number.isFinite(expiresAt)) throw invalid(answer, "has no expiresAt");
  if (user !== null && (!isObject(user) || typeof user["sub"] !== "string")) throw invalid(answer, "has a user without a sub");
  if (scope != null && typeof scope !== "string") throw invalid(answer, "has a scope that is not a string");
  const serverNow = Date.parse(answer.response.headers.get("date") ?? "");
  // The Date header is whole seconds; without a usable one (or one a day off: a broken proxy, not a
  // clock), the clocks are taken to agree.
  const skew = Math.abs(now - serverNow) < MAX_SKEW_MS ? now - serverNow : 0;
  if (expiresAt + skew <= now) return null;
  const session: Record<string, unknown> = {
    accessToken: "",
    tokenType: "Bearer",
    expiresAt: expiresAt + skew,
    user: user && Object.freeze(Object.fromEntries(Object.entries(user).filter(([name]) => !TOKEN_FIELDS.has(name)))),
  };
  if (typeof scope === "string") session["scope"] = scope;
  if (typeof authenticatedAt === "number" && Number.isFinite(authenticatedAt)) session["authenticatedAt"] = authenticatedAt + skew;
  return Object.freeze(session) as unknown as BffSessionData;
}

/** The claims of a `GET ${bff}/userinfo` answer, read as strictly (a JSON object with a `sub`). @internal */
export function readClaims(answer: BffAnswer, sub: string | undefined): SmartbillsUser {
  if (answer.status !== 200) throw answerError(answer, "invalid_response", "The user info route");
  const claims = answer.json;
  if (!isObject(claims) || typeof claims["sub"] !== "string") throw invalid(answer, "is not a JSON object with a sub");
  // Another user's claims must never be shown as this one's.
  if (sub !== undefined && claims["sub"] !== sub) throw invalid(answer, "names another user than the session");
  return Object.freeze(Object.fromEntries(Object.entries(claims).filter(([name]) => !TOKEN_FIELDS.has(name)))) as SmartbillsUser;
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

function invalid(answer: BffAnswer, problem: string): SmartbillsAuthError {
  return new SmartbillsAuthError("invalid_response", {
    description: process.env.NODE_ENV !== "production" ? `The backend for frontend's answer ${problem}.` : undefined,
    status: answer.status,
  });
}
