// A realistic app on @smartbills/react: provider, sign-in button, callback route, auth state and an
// authenticated fetch. Imported through the package's own name, so the bundler reads the built
// `dist/` through package.json "exports", exactly as an app would.
import { Callback, SmartbillsProvider } from "@smartbills/react";
import { Home } from "./readmeAppPages";
import { createRoot } from "react-dom/client";

export function App() {
  return (
    <SmartbillsProvider clientId="YOUR_CLIENT_ID" exchangeEndpoint="/api/smartbills/token">
      {window.location.pathname === "/callback" ? <Callback /> : <Home />}
    </SmartbillsProvider>
  );
}

createRoot(document.getElementById("root")!).render(<App />);
