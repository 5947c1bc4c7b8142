import type { Endpoints } from "../core/config.js";
import { clearTransactions } from "../core/clearTransactions.js";
import { buildEndSessionUrl } from "../core/endSession.js";
import type { ExchangeTransport } from "../core/exchange.js";
import { revokeRefreshToken } from "../core/revocation.js";
import type { TokenSet } from "../core/tokenSet.js";
import type { LogoutOptions } from "./clientTypes.js";

/** What signing out needs from the client. */
export interface SignOutContext {
  clientId: string;
  isPublicClient: boolean;
  transport: ExchangeTransport;
  endpoints(): Promise<Endpoints>;
  postLogoutRedirectUri: string | undefined;
}

/**
 * The server side of `logout()`, loaded when the user signs out (a dynamic import): pending logins
 * are dropped, the refresh token is revoked (bounded, best effort: see `revokeRefreshToken`), and
 * with `endSession` the end-session URL is built. Resolves in every case: `url` to go to, or the
 * `error` that kept the end-session endpoint from being found (none: the server has none).
 */
export async function signOut(ended: TokenSet | null | undefined, options: LogoutOptions, context: SignOutContext): Promise<{ url?: string; error?: unknown }> {
  clearTransactions(context.clientId);
  let found: Endpoints | undefined;
  let error: unknown;
  try {
    if (context.isPublicClient || options.endSession) found = await context.endpoints();
  } catch (cause) {
    error = cause; // no metadata: nothing to revoke at, and no end-session endpoint
  }
  await revokeRefreshToken(context.transport, ended?.refreshToken, found?.revocation, context.isPublicClient);
  if (!options.endSession || !found?.endSession) return { error };
  return { url: buildEndSessionUrl({ endpoint: found.endSession, clientId: context.clientId, idToken: ended?.idToken, postLogoutRedirectUri: context.postLogoutRedirectUri }) };
}
