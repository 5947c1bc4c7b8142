import { createTokenHandler, type TokenHandler } from "@smartbills/react/server";

/**
 * The exchange endpoint: adds the client secret to the browser's token request and forwards it to
 * Smartbills. The secret stays on the server (`SMARTBILLS_CLIENT_SECRET`, never `NEXT_PUBLIC_`).
 * Made on the first request, so `next build` needs no secrets.
 */
let handler: TokenHandler | undefined;

export function POST(request: Request): Promise<Response> {
  handler ??= createTokenHandler({
    clientId: process.env.SMARTBILLS_CLIENT_ID ?? "",
    clientSecret: process.env.SMARTBILLS_CLIENT_SECRET ?? "",
    // Exactly the redirect URIs registered for your app, e.g. https://app.example.com/callback.
    allowedRedirectUris: (process.env.SMARTBILLS_REDIRECT_URIS ?? "").split(",").filter(Boolean),
  });
  return handler(request);
}

/** Sign-out: `logout()` sends DELETE here, and the handler revokes the refresh token at Smartbills. */
export const DELETE = POST;
