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
  const session = await (await getBff()).getSession(requestHeaders);
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
