import { NextResponse, type NextRequest } from "next/server";
import type { SmartbillsSession } from "@smartbills/react/server";
import { getBff } from "./lib/bff";

/**
 * Next.js 16's proxy (formerly middleware.ts; it runs on the Node.js runtime), so `getSession` can
 * read the same session store as the route handler. Visitors without a session go to the sign-in,
 * and come back to the page they asked for.
 */
export async function proxy(request: NextRequest): Promise<NextResponse> {
  let session: SmartbillsSession | null;
  try {
    session = await (await getBff()).getSession(request.headers);
  } catch {
    // The session store (or the configuration) is not available: no page, and no sign-in loop.
    return new NextResponse("Sign-in is temporarily unavailable.", { status: 503, headers: { "Retry-After": "5" } });
  }
  if (session) return NextResponse.next();
  const login = new URL("/api/smartbills/login", request.url);
  login.searchParams.set("returnTo", request.nextUrl.pathname + request.nextUrl.search);
  return NextResponse.redirect(login);
}

export const config = { matcher: ["/dashboard", "/dashboard/:path*"] };
