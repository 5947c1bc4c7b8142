import { SmartbillsAuthError } from "./errors.js";

/** The header that marks the library's own requests in cookie mode: cross-site, it forces a CORS preflight. */
export const CSRF_HEADER = "X-Smartbills-Request";

/**
 * Whether a failed refresh may be retried: the network or the server failed, not the grant. A
 * refused refresh token (`refresh_failed`) and an ID token for another user (`invalid_id_token`) are final.
 */
export function isTransientError(error: unknown): boolean {
  // An ID token naming another user is as final as a refused grant: the session was swapped.
  return !(error instanceof SmartbillsAuthError) || (error.code !== "refresh_failed" && error.code !== "invalid_id_token");
}
