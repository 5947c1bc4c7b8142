import { parseRetryAfter } from "../core/retryAfter.js";
import type { UpstreamOutcome } from "./callUpstream.js";
import { readOAuthError } from "./readOAuthError.js";
import { redactSecret } from "./redactSecret.js";
import { fail, type Answer } from "./tokenHandlerAnswer.js";

const CREDENTIALS_REJECTED = "The token endpoint rejected this server's client credentials.";

/**
 * What the browser is told about the token endpoint's answer: a token response keeps its standard
 * fields only; an OAuth error from the user's side (4xx) passes, cleaned of our secret; our own
 * misconfiguration and upstream failures become 502/503/504. A 429 or 503 keeps its `Retry-After`
 * (re-written as whole seconds, capped at one hour), the one upstream header ever passed on.
 *
 * @see https://www.rfc-editor.org/rfc/rfc6749#section-5.2
 * @see https://www.rfc-editor.org/rfc/rfc9110#section-10.2.3
 * @internal
 */
export function fromUpstream(outcome: UpstreamOutcome, clientSecret: string, timeoutMs: number): Answer {
  switch (outcome.kind) {
    case "timeout":
      return fail(504, "temporarily_unavailable", `The token endpoint did not answer within ${timeoutMs} ms.`);
    case "network":
      return fail(502, "temporarily_unavailable", "The token endpoint could not be reached.");
    case "discovery":
      // The metadata error's own text stays in the server: its code says enough.
      return outcome.error.code === "invalid_metadata"
        ? fail(502, "server_error", "The authorization server's metadata is unusable (invalid_metadata).")
        : fail(502, "temporarily_unavailable", "The authorization server's metadata could not be read.");
    case "no_endpoint":
      return fail(502, "server_error", "The authorization server names no token endpoint.");
    case "redirect":
      return fail(502, "server_error", `The token endpoint answered with a redirect (HTTP ${outcome.status}), which is not followed.`);
    case "unreadable":
      return fail(502, "server_error", `The token endpoint's answer (HTTP ${outcome.status}) could not be read.`);
    case "answer":
      break;
  }
  const { status, json } = outcome;
  if (status >= 200 && status < 300) {
    const token = pickTokenFields(json);
    if (token === null) return fail(502, "server_error", "The token endpoint's answer is not a token response.");
    if (clientSecret.length >= 8 && Object.values(token).some((v) => typeof v === "string" && redactSecret(v, clientSecret, "") !== v)) {
      // Tokens cannot be redacted without breaking them; an answer quoting our secret is refused whole.
      return fail(502, "server_error", "The token endpoint's answer was refused.");
    }
    return { status: 200, body: token };
  }
  const oauth = readOAuthError(json, clientSecret);
  const retryAfter = toRetryAfter(outcome.retryAfter);
  const withRetry = (answer: Answer): Answer => (retryAfter === undefined ? answer : { ...answer, retryAfter });
  if (status === 429) return withRetry(oauth ? { status, body: { ...oauth } } : fail(429, "temporarily_unavailable", "The token endpoint is rate limiting; try again later."));
  if (status >= 400 && status < 500) {
    // Our credentials being refused is our misconfiguration: the user can do nothing about it,
    // and the upstream's wording may describe our client.
    if (status === 401 || oauth?.error === "invalid_client") return fail(502, "server_error", CREDENTIALS_REJECTED);
    if (oauth === null) return fail(502, "server_error", `The token endpoint answered HTTP ${status} without an OAuth error.`);
    return { status, body: { ...oauth } };
  }
  // 503 stays 503, so the browser's refresh schedule honours Retry-After (it reads it on 429 and 503).
  if (status === 503) return withRetry(fail(503, "temporarily_unavailable", "The token endpoint is temporarily unavailable (HTTP 503)."));
  if (oauth?.error === "temporarily_unavailable") return fail(502, "temporarily_unavailable", `The token endpoint is temporarily unavailable (HTTP ${status}).`);
  return fail(502, "server_error", `The token endpoint failed (HTTP ${status}).`);
}

/** A valid upstream `Retry-After` as delta-seconds; an absent, negative or garbage one is dropped, an absurd one capped. */
function toRetryAfter(raw: string | null): string | undefined {
  const ms = parseRetryAfter(raw, Date.now());
  return ms === null ? undefined : String(Math.ceil(ms / 1000));
}

/**
 * Keeps the standard token response fields only (RFC 6749 §5.1, OIDC Core §3.1.3.3), with their
 * standard types. Anything else the upstream adds is dropped: the page does not need it, and an
 * unknown field could carry server-internal data.
 */
function pickTokenFields(json: unknown): Record<string, string | number> | null {
  if (typeof json !== "object" || json === null || Array.isArray(json)) return null;
  const source = json as Record<string, unknown>;
  if (typeof source.access_token !== "string" || source.access_token === "") return null;
  const token: Record<string, string | number> = { access_token: source.access_token };
  for (const name of ["token_type", "refresh_token", "scope", "id_token"] as const) {
    const v = source[name];
    if (typeof v === "string" && v !== "") token[name] = v;
  }
  const expiresIn = typeof source.expires_in === "string" && source.expires_in.trim() !== "" ? Number(source.expires_in) : source.expires_in;
  if (typeof expiresIn === "number" && Number.isFinite(expiresIn) && expiresIn >= 0) token.expires_in = expiresIn;
  return token;
}
