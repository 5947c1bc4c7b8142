import { QueryClient, QueryClientContext } from "@tanstack/react-query";
import { createContext, useContext, useEffect, useMemo, useRef, useState, type ReactNode } from "react";
import { resolveConfig, type SmartbillsConfig } from "../core/config.js";
import { createSmartbillsClient, type SmartbillsClientLike } from "./SmartbillsClient.js";

/** What the hooks read from the provider. Stable across renders unless the configuration changes. */
export interface SmartbillsContextValue {
  client: SmartbillsClientLike;
  /** The provider's connected account, sent as `on-behalf-of` by `useSmartbillsFetch`. */
  onBehalfOf: string | undefined;
}

/** The context behind every hook; exported for the testing entry, which provides its own value. */
export const SmartbillsContext = createContext<SmartbillsContextValue | null>(null);

/** Props of {@link SmartbillsProvider}: the configuration of API.md plus the React wiring. */
export interface SmartbillsProviderProps extends SmartbillsConfig {
  /** A connected Smartbills account to act for: sent as the `on-behalf-of` header. */
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
  const { clientId, exchangeEndpoint, authority, issuer, apiOrigins, redirectUri, scope, storage, onBehalfOf, onRedirectCallback, children } = props;
  const surrounding = useContext(QueryClientContext);
  const [privateClient] = useState(() => (props.queryClient || surrounding ? null : new QueryClient()));
  const queryClient = props.queryClient ?? surrounding ?? privateClient!;

  // apiOrigins is often an inline array: compare by content, not identity.
  const apiOriginsKey = apiOrigins ? JSON.stringify(apiOrigins) : undefined;
  const config = useMemo(
    () =>
      resolveConfig(
        {
          clientId,
          ...(exchangeEndpoint !== undefined && { exchangeEndpoint }),
          ...(authority !== undefined && { authority }),
          ...(issuer !== undefined && { issuer }),
          ...(apiOriginsKey !== undefined && { apiOrigins: JSON.parse(apiOriginsKey) as string[] }),
          ...(redirectUri !== undefined && { redirectUri }),
          ...(scope !== undefined && { scope }),
          ...(storage !== undefined && { storage }),
        },
        typeof window === "undefined" ? undefined : window.location.origin,
      ),
    [clientId, exchangeEndpoint, authority, issuer, apiOriginsKey, redirectUri, scope, storage],
  );

  const redirectRef = useRef(onRedirectCallback);
  redirectRef.current = onRedirectCallback;
  const fetchRef = useRef(props.fetch);
  fetchRef.current = props.fetch;

  const client = useMemo(
    () =>
      createSmartbillsClient({
        config,
        queryClient,
        // Read through refs so inline callbacks do not make a new client (and a new context value) each render.
        onRedirectCallback: (returnTo) => (redirectRef.current ? redirectRef.current(returnTo) : defaultNavigate(returnTo)),
        fetch: (...args) => (fetchRef.current ?? globalThis.fetch)(...args),
      }),
    [config, queryClient],
  );

  useEffect(() => {
    // A private client needs its focus/online managers, as QueryClientProvider would mount them.
    queryClient.mount();
    return () => queryClient.unmount();
  }, [queryClient]);

  useEffect(() => client.start(), [client]);

  useEffect(() => {
    // Back from the authorization server through the back-forward cache: the button works again.
    const onPageShow = (event: PageTransitionEvent) => {
      if (event.persisted) client.redirecting.set(false);
    };
    window.addEventListener("pageshow", onPageShow);
    return () => window.removeEventListener("pageshow", onPageShow);
  }, [client]);

  const value = useMemo<SmartbillsContextValue>(() => ({ client, onBehalfOf }), [client, onBehalfOf]);
  return <SmartbillsContext.Provider value={value}>{children}</SmartbillsContext.Provider>;
}

/**
 * Reads the provider. Throws (rather than returning undefined) when there is none, so a missing
 * provider is found at the first render, not at the first sign-in.
 */
export function useSmartbillsContext(hookName = "useSmartbillsContext"): SmartbillsContextValue {
  const value = useContext(SmartbillsContext);
  if (!value) {
    throw new Error(`${hookName} must be used inside <SmartbillsProvider> (or <MockSmartbillsProvider> in tests).`);
  }
  return value;
}

function defaultNavigate(returnTo: string): void {
  if (typeof window === "undefined") return;
  window.history.replaceState(window.history.state, "", returnTo);
  // Routers listening to popstate (React Router, TanStack Router) pick the new location up.
  window.dispatchEvent(new PopStateEvent("popstate", { state: window.history.state }));
}
