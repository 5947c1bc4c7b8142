"use client";

import { SmartbillsProvider } from "@smartbills/react";
import { QueryClient, QueryClientProvider } from "@tanstack/react-query";
import { useState, type ReactNode } from "react";

/**
 * The client boundary, rendered once by the root layout. `bff` points the hooks at the backend of
 * app/api/smartbills/[...path]/route.ts: no client id, no token and no PKCE in the browser.
 */
export function Providers({ children }: { children: ReactNode }) {
  const [queryClient] = useState(() => new QueryClient());
  return (
    <QueryClientProvider client={queryClient}>
      <SmartbillsProvider bff="/api/smartbills">{children}</SmartbillsProvider>
    </QueryClientProvider>
  );
}
