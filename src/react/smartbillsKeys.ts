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
};
