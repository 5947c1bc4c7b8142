"use client";

import { useSmartbillsAuth, useSmartbillsFetch } from "@smartbills/react";
import { useQuery } from "@tanstack/react-query";
import { useRouter } from "next/navigation";

interface Me {
  sub: string | null;
  name: string | null;
  email: string | null;
}

/**
 * Calls the Smartbills API from the browser. With `bff`, `useSmartbillsFetch` sends
 * https://api.smartbills.io/v1/me to /api/smartbills/api/v1/me with the session cookie and the
 * CSRF header; the server adds the access token.
 */
export function Profile() {
  const { status, logout } = useSmartbillsAuth();
  const smartbillsFetch = useSmartbillsFetch();
  const router = useRouter();
  const me = useQuery({
    queryKey: ["smartbills-me"],
    enabled: status === "authenticated",
    queryFn: async (): Promise<Me> => {
      const response = await smartbillsFetch("https://api.smartbills.io/v1/me");
      if (!response.ok) throw new Error(`HTTP ${response.status}`);
      return (await response.json()) as Me;
    },
  });
  // The server component above shows the session of the last render: render it again.
  const signOut = async (endSession: boolean) => {
    await logout({ endSession });
    router.refresh();
  };
  return (
    <section aria-label="Your Smartbills profile">
      {me.isPending ? (
        <p role="status">Loading your profile…</p>
      ) : me.isError ? (
        <p role="alert">Could not load your profile: {me.error.message}</p>
      ) : (
        <p>
          The API knows you as {me.data.name ?? me.data.sub} ({me.data.email ?? "no email"}).
        </p>
      )}
      <button type="button" onClick={() => void signOut(false)}>
        Sign out
      </button>{" "}
      <button type="button" onClick={() => void signOut(true)}>
        Sign out of Smartbills too
      </button>
    </section>
  );
}
