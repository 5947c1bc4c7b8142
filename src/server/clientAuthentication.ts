/**
 * How this server proves its identity to the token and revocation endpoints (RFC 6749 §2.3.1).
 * `client_secret_post` puts `client_id` and `client_secret` in the form body, as Smartbills' docs
 * show; `client_secret_basic` sends them in an `Authorization: Basic` header, as Smartbills' .NET
 * SDK does (and as RFC 6749 says every server must support).
 *
 * @example
 * ```ts
 * const method: ClientAuthenticationMethod = "client_secret_basic"
 * ```
 * @see https://www.rfc-editor.org/rfc/rfc6749#section-2.3.1
 */
export type ClientAuthenticationMethod = "client_secret_post" | "client_secret_basic";

/**
 * The `Authorization` header value of `client_secret_basic`. The id and the secret are
 * `application/x-www-form-urlencoded` first (space → `+`, `:` → `%3A`, `é` → `%C3%A9`), then joined
 * with `:` and base64-encoded: without the encoding step a secret holding `:` would split in the
 * wrong place, and a non-ASCII one would depend on the server's guess at a charset.
 *
 * @example
 * ```ts
 * basicCredentials("client-abc", "s3cr:t") // "Basic Y2xpZW50LWFiYzpzM2NyJTNBdA=="
 * ```
 * @see https://www.rfc-editor.org/rfc/rfc6749#section-2.3.1
 * @see https://www.rfc-editor.org/rfc/rfc7617#section-2
 */
export function basicCredentials(clientId: string, clientSecret: string): string {
  // After form-encoding only ASCII is left, so btoa (present on every runtime) encodes it exactly.
  return `Basic ${btoa(`${formUrlEncode(clientId)}:${formUrlEncode(clientSecret)}`)}`;
}

/**
 * Adds this client's credentials to a token or revocation request, by `method`.
 *
 * - `client_secret_post`: `client_id` and `client_secret` are set in `body`; no `Authorization` header.
 * - `client_secret_basic`: `Authorization: Basic …` is set and both `client_id` and `client_secret`
 *   are removed from `body`. The id could stay (RFC 6749 allows it, and OpenIddict accepts it when
 *   equal to the header's), but the header already names the client, §4.1.3 asks for `client_id` in
 *   the body only from a client that does not authenticate, and some servers read a second copy as a
 *   second authentication method (forbidden by §2.3): one source is the form every server accepts.
 *
 * @example
 * ```ts
 * const headers = new Headers({ "Content-Type": "application/x-www-form-urlencoded" })
 * authenticateClient("client_secret_basic", clientId, clientSecret, body, headers)
 * ```
 * @see https://www.rfc-editor.org/rfc/rfc6749#section-2.3
 */
export function authenticateClient(
  method: ClientAuthenticationMethod,
  clientId: string,
  clientSecret: string,
  body: URLSearchParams,
  headers: Headers,
): void {
  if (method === "client_secret_basic") {
    body.delete("client_id");
    body.delete("client_secret");
    headers.set("Authorization", basicCredentials(clientId, clientSecret));
    return;
  }
  headers.delete("Authorization");
  body.set("client_id", clientId);
  body.set("client_secret", clientSecret);
}

/** Whether `value` names one of the two methods; for checking options. @internal */
export function isClientAuthenticationMethod(value: unknown): value is ClientAuthenticationMethod {
  return value === "client_secret_post" || value === "client_secret_basic";
}

/** The application/x-www-form-urlencoded serialisation of one value, exactly as a form body writes it. */
function formUrlEncode(value: string): string {
  return new URLSearchParams({ v: value }).toString().slice(2);
}
