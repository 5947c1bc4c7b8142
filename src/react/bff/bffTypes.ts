import type { SmartbillsUser } from "../../core/idToken.js";
import type { TokenSet } from "../../core/tokenSet.js";
import type { SmartbillsClient, SmartbillsClientOptions } from "../clientTypes.js";
import type { QueryObserverOptions } from "@tanstack/react-query";
import type { SmartbillsAuthError } from "../../core/errors.js";

/**
 * What the session query holds in backend-for-frontend mode: the answer of `GET ${bff}/session`,
 * shaped as a {@link TokenSet} so the hooks read it unchanged. It never holds a token:
 * `accessToken` is always the empty string (the tokens stay on the server).
 *
 * @example
 * ```ts
 * const session = queryClient.getQueryData<BffSessionData | null>(smartbillsKeys.session("/api/smartbills"))
 * session?.user?.email
 * ```
 */
export interface BffSessionData extends TokenSet {
  /** Always `""`: in this mode the browser has no token. */
  readonly accessToken: "";
  /** When the session ends at the latest (absolute or idle timeout), in this browser's clock, epoch ms. */
  readonly expiresAt: number;
  /** The claims of the sign-in's ID token, as the server kept them; null when the sign-in returned none. */
  readonly user: SmartbillsUser | null;
  /** When the user signed in, in this browser's clock, epoch ms (when the server says). */
  readonly authenticatedAt?: number;
}

/** Options of {@link createBffClient}: those of the token client plus the backend's base path. */
export interface BffClientOptions extends SmartbillsClientOptions {
  /** Where the backend for frontend is mounted, a path on this origin (`/api/smartbills`), no trailing slash. */
  basePath: string;
  /**
   * The session query's options. The provider's shell makes them, and the stores below, before this
   * client's code has loaded (the hooks read them at the first render); passing them in keeps this
   * module from sharing code with the start-up bundle.
   */
  queryOptions: QueryObserverOptions<TokenSet | null, SmartbillsAuthError, TokenSet | null, TokenSet | null, readonly unknown[]>;
  redirecting: SmartbillsClient["redirecting"];
  loginError: SmartbillsClient["loginError"];
}

/** The backend-for-frontend client: a {@link SmartbillsClient} plus the session query's function. */
export interface BffClient extends SmartbillsClient {
  /** `GET ${bff}/session`, read strictly: the query function of the session query. */
  loadSession(): Promise<BffSessionData | null>;
}
