import type { QueryClient } from "@tanstack/react-query";
import type { ReactNode } from "react";
import { resolveConfig, type ResolvedConfig, type SmartbillsConfig } from "../core/config.js";

/** The React wiring of {@link SmartbillsProvider}, in every mode. */
export interface SmartbillsProviderBaseProps {
  /** A connected Smartbills account (or business) to act for: sent in the `accountHeader` (default `on-behalf-of`). */
  onBehalfOf?: string;
  /** Navigates after the callback and `logout({ returnTo })`. Default: `history.replaceState` plus a `popstate` event. */
  onRedirectCallback?: (returnTo: string) => void;
  /** The query client to keep the token in. Default: the surrounding `QueryClientProvider`'s, else a private one. */
  queryClient?: QueryClient;
  /** Replaces `fetch` for the exchange and refresh requests (tests, instrumentation). Default: the global `fetch`. */
  fetch?: typeof fetch;
  children?: ReactNode;
}

/**
 * Props of {@link SmartbillsProvider}: the configuration of API.md plus the React wiring. With
 * `bff` (backend for frontend), `clientId` is the server's business and may be left out.
 */
export type SmartbillsProviderProps = SmartbillsProviderBaseProps &
  (
    | (SmartbillsConfig & { bff?: undefined })
    | (Partial<SmartbillsConfig> & {
        /**
         * Backend-for-frontend mode: where `createSmartbillsBff` is mounted, a path on this origin
         * (`"/api/smartbills"`). No token ever reaches the browser; sign-in, sign-out, the session and
         * every API call go through the backend. Its code loads only in apps that set it.
         */
        bff: string;
      })
  );

/**
 * The validated configuration (see `resolveConfig`: a wrong prop throws at the first render, naming
 * it). With `bff` the browser needs no client id (the server has it): the base path names the session.
 */
export function providerConfig(props: SmartbillsProviderProps): ResolvedConfig {
  return resolveConfig(
    props.bff === undefined ? (props as SmartbillsConfig) : { ...props, clientId: props.clientId || `bff:${props.bff}` },
    typeof window === "undefined" ? undefined : window.location.origin,
  );
}

/** What makes a new client: the configuration. apiOrigins and endpoints are often inline, so they are compared by content. */
export function configKey(props: SmartbillsProviderProps): unknown[] {
  return [
    props.clientId, props.exchangeEndpoint, props.authority, props.issuer, props.apiOrigins && JSON.stringify(props.apiOrigins), props.redirectUri,
    props.scope, props.storage, props.discovery, props.endpoints && JSON.stringify(props.endpoints), props.accountHeader, props.postLogoutRedirectUri, props.bff,
  ];
}
