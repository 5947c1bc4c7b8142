import type { ExchangeTransport } from "./exchange.js";
import { CSRF_HEADER } from "./session.js";

/** Logout waits for the revocation at most this long: signing out must never hang on the network. */
export const REVOCATION_TIMEOUT_MS = 5_000;

/**
 * Revokes the refresh token at logout (RFC 7009), best effort and bounded by
 * {@link REVOCATION_TIMEOUT_MS} whatever `fetch` does with its abort signal: without it the token
 * would stay valid at the server, and the next "Sign in" would skip the password.
 *
 * - With a backend (`exchangeEndpoint`): `DELETE` on it, with the CSRF header; the body carries the
 *   refresh token, or, in cookie mode, nothing (the backend revokes its cookie's token and clears it).
 * - Public mode: straight at the revocation endpoint, with `client_id`.
 *
 * Resolves in every case: a failure still signs the user out here.
 *
 * @see https://www.rfc-editor.org/rfc/rfc7009#section-2.1
 */
export async function revokeRefreshToken(
  transport: ExchangeTransport,
  refreshToken: string | undefined,
  revocationEndpoint: string | undefined,
  publicClient: boolean,
): Promise<void> {
  if (publicClient ? !refreshToken || !revocationEndpoint : !refreshToken && transport.credentials !== "include") return;
  const controller = new AbortController();
  let timer: ReturnType<typeof setTimeout> | undefined;
  const body = new URLSearchParams(publicClient ? { token: refreshToken!, token_type_hint: "refresh_token", client_id: transport.clientId } : refreshToken ? { refresh_token: refreshToken } : {});
  try {
    await Promise.race([
      transport.fetch(publicClient ? revocationEndpoint! : transport.endpoint, {
        method: publicClient ? "POST" : "DELETE",
        headers: { "Content-Type": "application/x-www-form-urlencoded", ...(publicClient ? {} : { [CSRF_HEADER]: "1" }) },
        body: body.toString(),
        credentials: publicClient ? "omit" : (transport.credentials ?? "same-origin"),
        cache: "no-store",
        referrerPolicy: "no-referrer",
        redirect: "error",
        signal: controller.signal,
      }),
      new Promise((resolve) => (timer = setTimeout(resolve, REVOCATION_TIMEOUT_MS))),
    ]);
  } catch {
    // Offline or refused: the token expires on its own; locally the session ends regardless.
  } finally {
    clearTimeout(timer);
    controller.abort();
  }
}
