/**
 * The options every session query shares (the token set's, the BFF session's): kept until the
 * session changes, never refetched by react-query's own heuristics (the client refreshes on the
 * token's schedule), never paused offline (a prompt `network_error` instead), and without structural
 * sharing (the token set carries a redacting `toJSON` that it would drop).
 */
export const SESSION_QUERY_DEFAULTS = {
  staleTime: Infinity,
  gcTime: Infinity,
  retry: false,
  refetchOnMount: false,
  refetchOnWindowFocus: false,
  refetchOnReconnect: false,
  networkMode: "always",
  structuralSharing: false,
} as const;
