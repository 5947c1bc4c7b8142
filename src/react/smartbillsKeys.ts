/**
 * The react-query keys of `@smartbills/react`, for apps that read, watch or invalidate them.
 *
 * @example
 * ```ts
 * const tokenSet = queryClient.getQueryData(smartbillsKeys.token("my-client-id"))
 * ```
 */
export const smartbillsKeys = {
  /** Every query of this library. */
  all: ["smartbills"] as const,
  /** The token set of one client. */
  token: (clientId: string) => ["smartbills", "token", clientId] as const,
  /** The authority's discovery document (with `discovery`). */
  metadata: (authority: string) => ["smartbills", "metadata", authority] as const,
  /** The user info of one client's signed-in user; the `sub` is appended, so another user is another query. */
  userInfo: (clientId: string) => ["smartbills", "userInfo", clientId] as const,
  /** The backend-for-frontend session (with `bff`). */
  session: (basePath: string) => ["smartbills", "session", basePath] as const,
};
