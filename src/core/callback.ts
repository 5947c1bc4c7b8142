import { DEV } from "./dev.js";
import { SmartbillsAuthError } from "./errors.js";

/** What an authorization response carried. */
export type CallbackParams =
  | { kind: "code"; code: string; state: string | undefined; iss: string | undefined }
  | { kind: "error"; error: string; errorDescription: string | undefined; state: string | undefined; iss: string | undefined };

const RESPONSE_PARAMS = ["code", "state", "iss", "error", "error_description", "error_uri", "session_state"] as const;
const MAX_PARAM_LENGTH = 4096;

/**
 * Reads an authorization response from a URL's query. Throws `invalid_callback` for a repeated
 * parameter or for `code` together with `error` (a mixed or forged response), `missing_code` for a
 * response with neither. Never throws anything but {@link SmartbillsAuthError}, and never decodes
 * with `decodeURIComponent` (a malformed `%` escape must not crash the page).
 *
 * @see https://www.rfc-editor.org/rfc/rfc6749#section-4.1.2
 */
export function parseCallback(search: string): CallbackParams {
  const params = new URLSearchParams(search);
  const value: Partial<Record<(typeof RESPONSE_PARAMS)[number], string>> = {};
  for (const name of RESPONSE_PARAMS) {
    const values = params.getAll(name);
    const repeated = values.length > 1;
    if (repeated || (values[0]?.length ?? 0) > MAX_PARAM_LENGTH) {
      throw new SmartbillsAuthError(
        "invalid_callback",
        DEV ? { description: `The sign-in response ${repeated ? "repeats the" : "has an over-long"} "${name}" parameter.` } : {},
      );
    }
    value[name] = values[0];
  }
  // An empty `code`, `error` or `state` counts as absent; an empty `iss` is kept, and refused by checkIssuer.
  const { code, error, iss } = value;
  const state = value.state || undefined;
  if (code && error) {
    throw new SmartbillsAuthError("invalid_callback", DEV ? { description: "The sign-in response carries both a code and an error." } : {});
  }
  if (error) {
    return { kind: "error", error, errorDescription: value.error_description, state, iss };
  }
  if (!code) {
    throw new SmartbillsAuthError("missing_code", DEV ? { description: "The sign-in response has no authorization code." } : {});
  }
  return { kind: "code", code, state, iss };
}

/**
 * Whether a URL's query looks like an authorization response: `code` or `error`, with the `state`
 * we always send. Without the state requirement an app whose redirect URI is `/` would mistake any
 * `?code=` of its own (a promo code) for a sign-in.
 */
export function hasCallbackParams(search: string): boolean {
  const params = new URLSearchParams(search);
  return (params.has("code") || params.has("error")) && params.has("state");
}

/**
 * The URL with every authorization-response parameter removed, for `history.replaceState`: the
 * code must not stay in the address bar, the history or a later `Referer`.
 *
 * @see https://www.rfc-editor.org/rfc/rfc9700#section-4.2.4
 */
export function stripCallbackParams(href: string): string {
  const url = new URL(href);
  // An emptied query loses its "?" too.
  for (const name of RESPONSE_PARAMS) url.searchParams.delete(name);
  return url.href;
}

/**
 * Checks the `iss` of the response against the configured issuer (one trailing slash ignored).
 *
 * @see https://www.rfc-editor.org/rfc/rfc9207#section-2.4
 */
export function checkIssuer(iss: string | undefined, issuer: string): void {
  if (iss === undefined) return;
  if (iss.replace(/\/$/, "") !== issuer.replace(/\/$/, "")) {
    throw new SmartbillsAuthError("issuer_mismatch", DEV ? { description: "The sign-in response comes from an unexpected issuer." } : {});
  }
}
