import { QueryClient, QueryClientContext } from "@tanstack/react-query";
import { useContext, useEffect, useMemo, useRef, useState, type ReactNode } from "react";
import type { SmartbillsClient, SmartbillsClientOptions } from "./clientTypes.js";
import { SmartbillsContext, type SmartbillsContextValue } from "./context.js";
import type { SmartbillsProviderBaseProps } from "./providerConfig.js";

/**
 * The React wiring every provider shares: the query client (the app's, else a private one), the
 * callbacks read through a ref (inline ones do not make a new client each render), the client's
 * background work while mounted, and the context. `makeClient` is the mode's; `configKey` lists
 * what makes a new client.
 */
export function ProviderCore<P extends SmartbillsProviderBaseProps>({
  props,
  makeClient,
  configKey,
}: {
  props: P;
  makeClient(props: P, options: Omit<SmartbillsClientOptions, "config">): SmartbillsClient;
  configKey: readonly unknown[];
}): ReactNode {
  const { onBehalfOf } = props;
  const surrounding = useContext(QueryClientContext);
  const [privateClient] = useState(() => (props.queryClient || surrounding ? null : new QueryClient()));
  const queryClient = props.queryClient || surrounding || privateClient!;
  const latest = useRef(props);
  latest.current = props;

  const client = useMemo(
    () =>
      makeClient(props, {
        queryClient,
        onRedirectCallback: (returnTo: string) => (latest.current.onRedirectCallback || defaultNavigate)(returnTo),
        fetch: ((...args) => (latest.current.fetch || fetch)(...args)) as typeof fetch,
      }),
    // eslint-disable-next-line react-hooks/exhaustive-deps
    [...configKey, queryClient],
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

/** Only ever called in the browser: after the callback, or by `logout({ returnTo })`. */
function defaultNavigate(returnTo: string): void {
  const { history } = window;
  history.replaceState(history.state, "", returnTo);
  // Routers listening to popstate (React Router, TanStack Router) pick the new location up.
  window.dispatchEvent(new PopStateEvent("popstate", { state: history.state }));
}
