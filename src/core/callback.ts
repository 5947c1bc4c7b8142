import { SmartbillsAuthError } from "./errors.js";

// The address-bar helpers live apart, so that an app's start-up code carries them without the parser.
export { hasCallbackParams, stripCallbackParams } from "./callbackUrl.js";
import { RESPONSE_PARAMS } from "./callbackUrl.js";

// Developer-only text is behind `process.env.NODE_ENV !== "production"`, written out where used (see core/dev.ts).
declare const process: { env: { NODE_ENV?: string } };

/** What an authorization response carried. */
export type CallbackParams =
  | { kind: "code"; code: string; state: string | undefined; iss: string | undefined }
  | { kind: "error"; error: string; errorDescription: string | undefined; state: string | undefined; iss: string | undefined };

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
        process.env.NODE_ENV !== "production" ? { description: `The sign-in response ${repeated ? "repeats the" : "has an over-long"} "${name}" parameter.` } : {},
      );
    }
    value[name] = values[0];
  }
  // An empty `code`, `error` or `state` counts as absent; an empty `iss` is kept, and refused by checkIssuer.
  const { code, error, iss } = value;
  const state = value.state || undefined;
  if (code && error) {
    throw new SmartbillsAuthError("invalid_callback", process.env.NODE_ENV !== "production" ? { description: "The sign-in response carries both a code and an error." } : {});
  }
  if (error) {
    return { kind: "error", error, errorDescription: value.error_description, state, iss };
  }
  if (!code) {
    throw new SmartbillsAuthError("missing_code", process.env.NODE_ENV !== "production" ? { description: "The sign-in response has no authorization code." } : {});
  }
  return { kind: "code", code, state, iss };
}

/**
 * Checks the `iss` of the response against the configured issuer (one trailing slash ignored).
 *
 * @see https://www.rfc-editor.org/rfc/rfc9207#section-2.4
 */
export function checkIssuer(iss: string | undefined, issuer: string): void {
  if (iss === undefined) return;
  if (iss.replace(/\/$/, "") !== issuer.replace(/\/$/, "")) {
    throw new SmartbillsAuthError("issuer_mismatch", process.env.NODE_ENV !== "production" ? { description: "The sign-in response comes from an unexpected issuer." } : {});
  }
}
