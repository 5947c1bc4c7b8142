// In your app, import from "@smartbills/react". The demo imports the library's source directly, so
// `npm run demo` shows your local changes without a build.
import { QueryClient, QueryClientProvider } from "@tanstack/react-query";
import { StrictMode } from "react";
import { createRoot } from "react-dom/client";
import { App } from "./App";
import { config } from "./config";
import "./styles.css";

// One QueryClient for the whole app. SmartbillsProvider finds it through QueryClientProvider and keeps
// the token in it, so the token and your API data share one cache (and one devtools panel).
const queryClient = new QueryClient({
  defaultOptions: { queries: { retry: false, refetchOnWindowFocus: false } },
});

const app = (
  <QueryClientProvider client={queryClient}>
    <App />
  </QueryClientProvider>
);

// StrictMode runs every effect twice in development; the library still exchanges the code exactly once.
createRoot(document.getElementById("root")!).render(config.strictMode ? <StrictMode>{app}</StrictMode> : app);
