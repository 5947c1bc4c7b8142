/**
 * The stable error codes of `@smartbills/react`. Besides these, a `SmartbillsAuthError` may carry the
 * authorization server's own OAuth error code (`access_denied`, `invalid_grant`, …) unchanged.
 *
 * @see https://www.rfc-editor.org/rfc/rfc6749#section-5.2
 */
export const SmartbillsErrorCodes = {
  /** The callback's `state` matches no pending login while another login is pending. */
  STATE_MISMATCH: "state_mismatch",
  /** The callback carries neither `code` nor `error`. */
  MISSING_CODE: "missing_code",
  /** The callback arrived with no pending login at all (new tab, cleared storage, replayed URL). */
  MISSING_TRANSACTION: "missing_transaction",
  /** The user (or the server) refused the authorization. */
  ACCESS_DENIED: "access_denied",
  /** The code exchange failed (a refusal, a server error, or an unreadable answer). */
  EXCHANGE_FAILED: "exchange_failed",
  /** The refresh token was refused; the session has ended. */
  REFRESH_FAILED: "refresh_failed",
  /** No session can be had without signing in again. */
  LOGIN_REQUIRED: "login_required",
  /** The request never got an answer (offline, DNS, CORS, timeout). */
  NETWORK_ERROR: "network_error",
  /** The server answered, but not with a usable token response. */
  INVALID_RESPONSE: "invalid_response",
  /** The callback's `iss` is not the configured issuer (RFC 9207 mix-up defence). */
  ISSUER_MISMATCH: "issuer_mismatch",
  /** The callback URL is malformed: a repeated parameter, or both `code` and `error`. */
  INVALID_CALLBACK: "invalid_callback",
  /** `useSmartbillsFetch` was asked to send the token to an origin it must not reach. */
  UNTRUSTED_ORIGIN: "untrusted_origin",
  /** The browser lacks what a safe login needs (WebCrypto, sessionStorage). */
  UNSUPPORTED_ENVIRONMENT: "unsupported_environment",
  /** A configuration or argument is invalid. */
  INVALID_CONFIG: "invalid_config",
  /** The authority's discovery document is unusable: another `issuer`, a non-https endpoint, not JSON. */
  INVALID_METADATA: "invalid_metadata",
  /** The ID token failed the OpenID Connect checks (iss, aud/azp, exp, iat, nonce, or a changed `sub`). */
  INVALID_ID_TOKEN: "invalid_id_token",
  /** What was asked does not exist in this mode or at this server (no end-session endpoint, a token in BFF mode). */
  UNSUPPORTED: "unsupported",
} as const;

/** A code of {@link SmartbillsErrorCodes}, or any OAuth error code the server sent. */
export type SmartbillsErrorCode =
  | (typeof SmartbillsErrorCodes)[keyof typeof SmartbillsErrorCodes]
  // Keeps autocompletion for the known codes while allowing the server's own codes.
  | (string & {});

/** Options of {@link SmartbillsAuthError}. */
export interface SmartbillsAuthErrorOptions {
  /** A human-readable explanation; never contains a token, a code, a verifier or a secret. */
  description?: string;
  /** The HTTP status of the response that caused the error, when there was one. */
  status?: number;
  /** The underlying error, kept for debugging. */
  cause?: unknown;
  /** The raw response, kept non-enumerable so it never lands in a log or a JSON dump. */
  response?: Response;
}

/**
 * The one error type of `@smartbills/react`: every failure of the sign-in flow, the token lifecycle
 * and the server helpers surfaces as one, with a stable {@link SmartbillsAuthError.code}.
 *
 * @example
 * ```ts
 * try { await getAccessToken() } catch (e) {
 *   if (e instanceof SmartbillsAuthError && e.code === "login_required") login()
 * }
 * ```
 */
export class SmartbillsAuthError extends Error {
  // `declare` fields are set in the constructor: class field initialisers would compile to helper code.
  declare readonly name: "SmartbillsAuthError";
  /** A code of {@link SmartbillsErrorCodes}, or the authorization server's own OAuth error code. */
  declare readonly code: SmartbillsErrorCode;
  /** The server's `error_description` or our own explanation. */
  declare readonly description?: string;
  /** The HTTP status behind the error, if any. */
  declare readonly status?: number;
  /** The raw response (non-enumerable). */
  declare readonly response?: Response;

  constructor(code: SmartbillsErrorCode, options: SmartbillsAuthErrorOptions = {}) {
    // Server-supplied text is shown to users: control characters become spaces, and it is bounded (500 characters).
    // eslint-disable-next-line no-control-regex
    let description = options.description?.replace(/[\u0000-\u001f\u007f]/g, " ") || undefined;
    if (description && description.length > 500) description = `${description.slice(0, 500)}…`;
    // Error keeps `cause` itself, non-enumerable (ES2022; older engines drop it).
    super(description ? `${code}: ${description}` : code, options);
    this.name = "SmartbillsAuthError";
    this.code = code;
    this.description = description;
    this.status = options.status;
    // Non-enumerable (defineProperty's default): the raw response stays out of JSON.stringify and structured logs.
    Object.defineProperty(this, "response", { value: options.response });
  }

  /** OAuth's own field name for {@link SmartbillsAuthError.code}. */
  get error(): string {
    return this.code;
  }

  /** OAuth's own field name for {@link SmartbillsAuthError.description}. */
  get error_description(): string | undefined {
    return this.description;
  }

  /** A plain, loggable form with no response, cause or stack (JSON leaves out an absent description or status). */
  toJSON(): { name: string; code: string; description?: string; status?: number } {
    return { name: this.name, code: this.code, description: this.description, status: this.status };
  }
}

/** Whether `value` is a {@link SmartbillsAuthError}, optionally with the given code. */
export function isSmartbillsAuthError(value: unknown, code?: SmartbillsErrorCode): value is SmartbillsAuthError {
  return value instanceof SmartbillsAuthError && (code === undefined || value.code === code);
}

/**
 * Turns any thrown value into a {@link SmartbillsAuthError} at a boundary, so callers only ever see one
 * type. Unknown errors keep their message out of ours: it may quote a URL with a code in it.
 * An abort or a timeout, and a fetch `TypeError` where `fallbackCode` is `network_error`, become `network_error`.
 */
export function toSmartbillsAuthError(value: unknown, fallbackCode: SmartbillsErrorCode): SmartbillsAuthError {
  if (value instanceof SmartbillsAuthError) return value;
  const name = (value as { name?: unknown } | null | undefined)?.name;
  const aborted = name === "AbortError" || name === "TimeoutError";
  const network = aborted || (value instanceof TypeError && fallbackCode === "network_error");
  // Short on purpose: this module is also the server entry's, which has no development-only text.
  return new SmartbillsAuthError(network ? "network_error" : fallbackCode, {
    description: aborted ? "Aborted or timed out." : network ? "No answer." : "Unexpected error.",
    cause: value,
  });
}
