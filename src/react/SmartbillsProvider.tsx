import { QueryClient, QueryClientContext } from "@tanstack/react-query";
import { createContext, useContext, useEffect, useMemo, useRef, useState, type ReactNode } from "react";
import { resolveConfig, type SmartbillsConfig } from "../core/config.js";
import { createBffShell } from "./bff/createBffShell.js";
import { createSmartbillsClient, type SmartbillsClientLike } from "./SmartbillsClient.js";

// Developer-only text is behind `process.env.NODE_ENV !== "production"`, written out where used (see core/dev.ts).
declare const process: { env: { NODE_ENV?: string } };

/** What the hooks read from the provider. Stable across renders unless the configuration changes. */
export interface SmartbillsContextValue {
  client: SmartbillsClientLike;
  /** The provider's connected account, sent as `on-behalf-of` by `useSmartbillsFetch`. */
  onBehalfOf: string | undefined;
}

/** The context behind every hook; exported for the testing entry, which provides its own value. */
export const SmartbillsContext = createContext<SmartbillsContextValue | null>(null);

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
 * Signs users in with Smartbills: wrap the app in it once. It holds no token state of its own: the
 * token lives in a react-query query of the app's `QueryClient`, refreshed before it expires.
 * A wrong configuration throws at once, naming the prop.
 *
 * @example
 * ```tsx
 * <SmartbillsProvider clientId="YOUR_CLIENT_ID" exchangeEndpoint="/api/smartbills/token">
 *   <App />
 * </SmartbillsProvider>
 * ```
 * @see https://www.rfc-editor.org/rfc/rfc6749#section-4.1
 */
export function SmartbillsProvider(props: SmartbillsProviderProps): ReactNode {
  const { apiOrigins, onBehalfOf } = props;
  const surrounding = useContext(QueryClientContext);
  const [privateClient] = useState(() => (props.queryClient || surrounding ? null : new QueryClient()));
  const queryClient = props.queryClient || surrounding || privateClient!;

  // The client reads the callbacks through this ref, so inline ones do not make a new client (and a
  // new context value) each render.
  const latest = useRef(props);
  latest.current = props;

  const client = useMemo(
    () => {
      const options = {
        // resolveConfig reads only the configuration props; an undefined one takes its default. With
        // bff the browser needs no client id (the server has it): the base path names the session.
        config: resolveConfig(props.bff === undefined ? (props as SmartbillsConfig) : { ...props, clientId: props.clientId || `bff:${props.bff}` }, typeof window === "undefined" ? undefined : window.location.origin),
        queryClient,
        onRedirectCallback: (returnTo: string) => (latest.current.onRedirectCallback || defaultNavigate)(returnTo),
        fetch: ((...args) => (latest.current.fetch || fetch)(...args)) as typeof fetch,
      };
      return props.bff === undefined ? createSmartbillsClient(options) : createBffShell(props.bff, options);
    },
    // A new client only for a new configuration. apiOrigins and endpoints are often inline: compare them by content.
    [
      props.clientId, props.exchangeEndpoint, props.authority, props.issuer, apiOrigins && JSON.stringify(apiOrigins), props.redirectUri, props.scope,
      props.storage, props.discovery, props.endpoints && JSON.stringify(props.endpoints), props.accountHeader, props.postLogoutRedirectUri, props.bff, queryClient,
    ],
  );

  useEffect(() => {
    // A private client needs its focus/online managers, as QueryClientProvider would mount them.
    queryClient.mount();
    const stop = client.start();
    // Back from the authorization server through the back-forward cache: the button works again.
    const onPageShow = (event: PageTransitionEvent) => {
      if (event.persisted) client.redirecting.set(false);
    };
    window.addEventListener("pageshow", onPageShow);
    return () => {
      queryClient.unmount();
      stop();
      window.removeEventListener("pageshow", onPageShow);
    };
  }, [client, queryClient]);

  const value = useMemo<SmartbillsContextValue>(() => ({ client, onBehalfOf }), [client, onBehalfOf]);
  return <SmartbillsContext.Provider value={value}>{props.children}</SmartbillsContext.Provider>;
}

/**
 * Reads the provider. Throws (rather than returning undefined) when there is none, so a missing
 * provider is found at the first render, not at the first sign-in.
 *
 * @param hookName Who asks, for the development build's error message. The hooks pass it only in
 * development (`DEV ? "useSmartbillsAuth" : undefined`), so production bundles carry no hook names.
 */
export function useSmartbillsContext(hookName?: string): SmartbillsContextValue {
  const value = useContext(SmartbillsContext);
  if (!value) {
    throw new Error(
      process.env.NODE_ENV !== "production" ? `${hookName || "useSmartbillsContext"} must be used inside <SmartbillsProvider> (or <MockSmartbillsProvider> in tests).` : "No SmartbillsProvider",
    );
  }
  return value;
}

/** Only ever called in the browser: after the callback, or by `logout({ returnTo })`. */
function defaultNavigate(returnTo: string): void {
  const { history } = window;
  history.replaceState(history.state, "", returnTo);
  // Routers listening to popstate (React Router, TanStack Router) pick the new location up.
  window.dispatchEvent(new PopStateEvent("popstate", { state: history.state }));
}
