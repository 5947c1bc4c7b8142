import { Callback, RequireAuth, SmartbillsProvider } from "@smartbills/react";
import { createRootRoute, createRoute, createRouter, Outlet, useNavigate } from "@tanstack/react-router";
import { Home } from "./pages/Home";
import { Invoices } from "./pages/Invoices";

/**
 * Code-based routes: no file-route generator or bundler plugin needed. The provider sits in the
 * root route, so `onRedirectCallback` can navigate with the router after the callback.
 */
function SmartbillsRoot() {
  const navigate = useNavigate();
  return (
    <SmartbillsProvider
      clientId={import.meta.env.VITE_SMARTBILLS_CLIENT_ID}
      exchangeEndpoint="/api/smartbills/token"
      // `returnTo` is a same-origin path with its query and hash: navigate to it as a built href.
      onRedirectCallback={(returnTo) => void navigate({ href: returnTo, replace: true })}
    >
      <Outlet />
    </SmartbillsProvider>
  );
}

const rootRoute = createRootRoute({ component: SmartbillsRoot });

const homeRoute = createRoute({ getParentRoute: () => rootRoute, path: "/", component: Home });

// The redirect URI: by default `${location.origin}/callback`.
const callbackRoute = createRoute({
  getParentRoute: () => rootRoute,
  path: "/callback",
  component: () => <Callback loading={<p>Signing you in…</p>} />,
});

const invoicesRoute = createRoute({
  getParentRoute: () => rootRoute,
  path: "/invoices",
  component: () => (
    <RequireAuth fallback={<p>Redirecting to Smartbills…</p>}>
      <Invoices />
    </RequireAuth>
  ),
});

export const router = createRouter({ routeTree: rootRoute.addChildren([homeRoute, callbackRoute, invoicesRoute]) });

declare module "@tanstack/react-router" {
  interface Register {
    router: typeof router;
  }
}
