import { isOAuthErrorCode } from "../core/oauthErrorCode.js";
import { redactSecret } from "./redactSecret.js";

/** An OAuth error answer, cleaned for passing on. @internal */
export interface OAuthErrorFields {
  error: string;
  error_description?: string;
}

const MAX_DESCRIPTION = 300;

/**
 * Reads `{error, error_description}` from a token endpoint's JSON answer, keeping strings only,
 * with our secret removed (an upstream may echo the request it got), control characters replaced
 * and the description clipped. Returns `null` when the answer is not an OAuth error.
 *
 * @see https://www.rfc-editor.org/rfc/rfc6749#section-5.2
 * @internal
 */
export function readOAuthError(json: unknown, secret: string): OAuthErrorFields | null {
  if (typeof json !== "object" || json === null || Array.isArray(json)) return null;
  const { error, error_description: description } = json as Record<string, unknown>;
  if (!isOAuthErrorCode(error)) return null;
  // A code that carries the secret cannot be redacted into a meaningful code.
  if (redactSecret(error, secret, "") !== error) return null;
  if (typeof description !== "string" || description === "") return { error };
  // Redact before clipping: clipping first could leave half a secret behind.
  // eslint-disable-next-line no-control-regex
  const clean = redactSecret(description, secret, "").replace(/[\u0000-\u001f\u007f]/g, " ").trim();
  if (clean === "") return { error };
  return { error, error_description: clean.length > MAX_DESCRIPTION ? `${clean.slice(0, MAX_DESCRIPTION)}…` : clean };
}
