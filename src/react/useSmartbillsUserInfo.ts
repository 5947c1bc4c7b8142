import { useQuery, type UseQueryResult } from "@tanstack/react-query";
import { SmartbillsAuthError, toSmartbillsAuthError } from "../core/errors.js";
import type { SmartbillsUser } from "../core/idToken.js";
import type { SmartbillsClientLike } from "./clientTypes.js";
import { smartbillsKeys } from "./smartbillsKeys.js";
import { useSmartbillsAuth } from "./useSmartbillsAuth.js";
import { useSmartbillsContext } from "./context.js";

// Developer-only text is behind `process.env.NODE_ENV !== "production"`, written out where used (see core/dev.ts).
declare const process: { env: { NODE_ENV?: string } };

/** A user info answer is a few hundred bytes; this much is a misbehaving server. */
const MAX_USERINFO_CHARS = 64 * 1024;

/**
 * The user info endpoint's claims for the signed-in user (OpenID Connect Core §5.3), as a
 * react-query query: fetched while signed in, shared by every component that asks, removed at
 * logout and fetched again when another user signs in. `useSmartbillsAuth().user` (the ID token's
 * claims) needs no request; this one has what the ID token leaves out. An app that never calls it
 * does not bundle it.
 *
 * @example
 * ```tsx
 * const { data: profile, isPending } = useSmartbillsUserInfo()
 * return <p>{isPending ? "…" : profile?.email}</p>
 * ```
 * @see https://openid.net/specs/openid-connect-core-1_0.html#UserInfo
 */
export function useSmartbillsUserInfo(): UseQueryResult<SmartbillsUser | null, SmartbillsAuthError> {
  const { client } = useSmartbillsContext(process.env.NODE_ENV !== "production" ? "useSmartbillsUserInfo" : undefined);
  const { isAuthenticated, user } = useSmartbillsAuth();
  return useQuery<SmartbillsUser | null, SmartbillsAuthError>(
    {
      queryKey: [...smartbillsKeys.userInfo(client.config.clientId), user?.sub ?? null],
      queryFn: () => (client.loadUserInfo ? client.loadUserInfo() : fetchUserInfo(client, user?.sub)),
      enabled: isAuthenticated,
      staleTime: Infinity,
      retry: false,
    },
    client.queryClient,
  );
}

/** GET on the user info endpoint with the access token; its `sub` must be the ID token's (§5.3.2). */
async function fetchUserInfo(client: SmartbillsClientLike, sub: string | undefined): Promise<SmartbillsUser | null> {
  const invalid = (description: string, status?: number) => new SmartbillsAuthError("invalid_response", { description: process.env.NODE_ENV !== "production" ? description : undefined, status });
  const { userinfo } = await client.endpoints();
  if (!userinfo) throw new SmartbillsAuthError("unsupported", { description: process.env.NODE_ENV !== "production" ? "The authorization server has no user info endpoint." : undefined });
  const accessToken = await client.getAccessToken();
  let response: Response;
  let text: string;
  try {
    response = await client.send(userinfo, {
      headers: { Authorization: `Bearer ${accessToken}`, Accept: "application/json" },
      cache: "no-store",
      referrerPolicy: "no-referrer",
      redirect: "error",
      signal: AbortSignal.timeout?.(10_000),
    });
    text = await response.text();
  } catch (error) {
    throw toSmartbillsAuthError(error, "network_error");
  }
  if (response.status === 401) throw new SmartbillsAuthError("login_required", { status: 401 });
  if (!response.ok) throw invalid(`The user info endpoint answered HTTP ${response.status}.`, response.status);
  let claims: unknown;
  try {
    claims = text.length <= MAX_USERINFO_CHARS ? JSON.parse(text) : undefined;
  } catch {
    // Not JSON: refused below.
  }
  const found = claims as SmartbillsUser | undefined;
  if (!found || typeof found !== "object" || Array.isArray(found) || typeof found.sub !== "string") throw invalid("The user info answer is not a JSON object with a sub.");
  // Another user's claims must never be shown as this one's (token substitution).
  if (sub && found.sub !== sub) throw invalid("The user info names another user than the ID token.");
  return found;
}
