import { getBff } from "../../../../lib/bff";

/**
 * The backend for frontend, mounted at /api/smartbills: /login, /callback, /session, /userinfo,
 * /logout and the API proxy /api/smartbills/api/*. Every token stays here; the browser gets an
 * HttpOnly session cookie only.
 */
async function handle(request: Request): Promise<Response> {
  const bff = await getBff().catch((error: unknown) => {
    // A missing variable or an unreachable Redis: said in the server's log, not to the browser.
    console.error(error instanceof Error ? error.message : "The Smartbills backend could not start.");
    return null;
  });
  if (!bff) {
    return Response.json(
      { error: "temporarily_unavailable", error_description: "The sign-in backend is not available." },
      { status: 503, headers: { "Cache-Control": "no-store" } },
    );
  }
  return bff(request);
}

export { handle as GET, handle as POST, handle as PUT, handle as PATCH, handle as DELETE };
