import { Callback, RequireAuth, SmartbillsProvider } from "@smartbills/react";
import { createBrowserRouter, Outlet, useNavigate } from "react-router";
import { Home } from "./pages/Home";
import { Invoices } from "./pages/Invoices";
import { UserBadge } from "./UserBadge";

/**
 * The provider sits inside the router, so that it can navigate with React Router: after the
 * callback, `onRedirectCallback` takes the user back to the page the sign-in started from.
 */
function SmartbillsRoot() {
  const navigate = useNavigate();
  return (
    <SmartbillsProvider
      clientId={import.meta.env.VITE_SMARTBILLS_CLIENT_ID}
      // Unset: Smartbills itself. The example's test points it at @smartbills/react/dev-server.
      authority={import.meta.env.VITE_SMARTBILLS_AUTHORITY}
      exchangeEndpoint="/api/smartbills/token"
      onRedirectCallback={(returnTo) => navigate(returnTo, { replace: true })}
    >
      <UserBadge />
      <Outlet />
    </SmartbillsProvider>
  );
}

export const router = createBrowserRouter([
  {
    element: <SmartbillsRoot />,
    children: [
      { path: "/", element: <Home /> },
      // The redirect URI: by default `${location.origin}/callback`.
      { path: "/callback", element: <Callback loading={<p>Signing you in…</p>} /> },
      {
        path: "/invoices",
        element: (
          <RequireAuth fallback={<p>Redirecting to Smartbills…</p>}>
            <Invoices />
          </RequireAuth>
        ),
      },
    ],
  },
]);
