"use client";

import { SmartbillsProvider } from "@smartbills/react";
import { QueryClient, QueryClientProvider } from "@tanstack/react-query";
import { useRouter } from "next/navigation";
import { useState, type ReactNode } from "react";

/**
 * The client boundary: the root layout (a server component) renders this once around the app.
 * `onRedirectCallback` navigates with the App Router after the callback.
 */
export function Providers({ children }: { children: ReactNode }) {
  const router = useRouter();
  const [queryClient] = useState(() => new QueryClient());
  return (
    <QueryClientProvider client={queryClient}>
      <SmartbillsProvider
        clientId={process.env.NEXT_PUBLIC_SMARTBILLS_CLIENT_ID!}
        exchangeEndpoint="/api/smartbills/token"
        onRedirectCallback={(returnTo) => router.replace(returnTo)}
      >
        {children}
      </SmartbillsProvider>
    </QueryClientProvider>
  );
}
