import type { SmartbillsSession } from "@smartbills/react/server";
import { headers } from "next/headers";
import Link from "next/link";
import { getBff } from "../lib/bff";
import { Profile } from "./Profile";

/**
 * A server component: who is signed in comes from the session cookie, read on the server with
 * `getSession` (never a token). `headers()` first: it makes the page dynamic, so `next build`
 * never creates the backend (nor needs its secrets).
 */
export default async function HomePage() {
  const requestHeaders = await headers();
  let session: SmartbillsSession | null;
  try {
    session = await (await getBff()).getSession(requestHeaders);
  } catch {
    // The session store (or the configuration) is not available: say so, do not start a sign-in.
    return (
      <main>
        <p role="alert">Sign-in is temporarily unavailable. Try again in a moment.</p>
      </main>
    );
  }
  return (
    <main>
      <h1>Smartbills + Next.js (backend for frontend)</h1>
      {session ? (
        <>
          <p>Signed in as {session.user?.name ?? session.user?.sub ?? "a Smartbills user"}</p>
          <p>
            <Link href="/dashboard">Your dashboard</Link>
          </p>
          <Profile />
        </>
      ) : (
        // A plain link, not <Link>: /login is a route handler that redirects to Smartbills.
        <a href="/api/smartbills/login?returnTo=/">Sign in with Smartbills</a>
      )}
    </main>
  );
}
