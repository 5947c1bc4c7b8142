import { headers } from "next/headers";
import { redirect } from "next/navigation";
import { getBff } from "../../lib/bff";

/**
 * Behind proxy.ts, which sends visitors without a session to the sign-in. The page checks again
 * itself: a proxy's matcher is easy to change and should not be the only guard.
 */
export default async function DashboardPage() {
  const requestHeaders = await headers();
  const session = await (await getBff()).getSession(requestHeaders);
  if (!session) redirect("/api/smartbills/login?returnTo=/dashboard");
  return (
    <main>
      <h1>Dashboard</h1>
      <p>Dashboard of {session.user?.name ?? session.user?.sub}</p>
      <p>Your session ends at the latest at {new Date(session.expiresAt).toISOString()}.</p>
    </main>
  );
}
