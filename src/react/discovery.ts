import type { QueryClient } from "@tanstack/react-query";
import type { Endpoints, ResolvedConfig } from "../core/config.js";
import { toSmartbillsAuthError } from "../core/errors.js";
import { fetchMetadata, validateMetadata, type AuthorizationServerMetadata } from "../core/metadata.js";
import { smartbillsKeys } from "./smartbillsKeys.js";

/**
 * The endpoints the browser talks to. Without `discovery` they are the configuration's, at once and
 * with no request. With it, the authority's metadata is read once, when a login, a public-mode
 * refresh, a logout or the user info first needs it: through the query client (so concurrent
 * callers share one request) and kept in sessionStorage for the tab's life (so a reload with a valid
 * token still makes no request). This module is loaded only then (see `createEndpointResolver`),
 * so an app without discovery does not bundle it.
 */
export function discoverEndpoints(config: ResolvedConfig, queryClient: QueryClient, fetchImpl: typeof fetch): () => Promise<Endpoints> {
  const { authority, issuer, endpoints } = config;
  const storageKey = `smartbills.metadata.${authority}`;
  const load = async (): Promise<AuthorizationServerMetadata> => {
    const stored = read(storageKey);
    // Stored by an earlier page of this tab; checked again, as storage is writable by any script.
    if (stored) {
      try {
        return validateMetadata(JSON.parse(stored), issuer);
      } catch {
        // Unreadable or tampered with: fetched again below.
      }
    }
    const metadata = await fetchMetadata(authority, { fetch: fetchImpl, expectedIssuer: issuer });
    write(storageKey, JSON.stringify(metadata));
    return metadata;
  };
  return async () => {
    let metadata: AuthorizationServerMetadata;
    try {
      metadata = await queryClient.fetchQuery({ queryKey: smartbillsKeys.metadata(authority), queryFn: load, staleTime: Infinity, gcTime: Infinity, retry: false, networkMode: "always" });
    } catch (error) {
      throw toSmartbillsAuthError(error, "network_error");
    }
    // Explicit endpoints win; the authorization and token endpoints fall back to the /connect paths.
    return {
      authorization: endpoints.authorization || metadata.authorization_endpoint || `${authority}/connect/authorize`,
      token: endpoints.token || metadata.token_endpoint || `${authority}/connect/token`,
      userinfo: endpoints.userinfo || metadata.userinfo_endpoint,
      revocation: endpoints.revocation || metadata.revocation_endpoint,
      endSession: endpoints.endSession || metadata.end_session_endpoint,
    };
  };
}

function read(key: string): string | null {
  try {
    return sessionStorage.getItem(key);
  } catch {
    return null;
  }
}

function write(key: string, value: string): void {
  try {
    sessionStorage.setItem(key, value);
  } catch {
    // Blocked or full: the next page load asks the server again, nothing worse.
  }
}
