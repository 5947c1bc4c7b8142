/// <reference types="node" />
import { createServer } from "node:http";
import { createTokenHandler, toNodeHandler } from "@smartbills/react/server";

/**
 * The exchange endpoint the app posts to: it adds the client secret and forwards the token request
 * to Smartbills. In development Vite proxies `/api/smartbills` here (vite.config.ts); in production,
 * mount the same handler on your backend at the same path.
 *
 *   SMARTBILLS_CLIENT_ID=… SMARTBILLS_CLIENT_SECRET=… npx tsx server.ts
 */
const tokenEndpoint = toNodeHandler(
  createTokenHandler({
    clientId: process.env.SMARTBILLS_CLIENT_ID ?? "",
    clientSecret: process.env.SMARTBILLS_CLIENT_SECRET ?? "",
    // Unset: Smartbills itself. Set it to a local dev server's authority (npx smartbills-dev-server).
    authority: process.env.SMARTBILLS_AUTHORITY,
    // Exactly the redirect URIs of your app: the Vite dev server's /callback here.
    allowedRedirectUris: (process.env.SMARTBILLS_REDIRECT_URIS ?? "http://localhost:5173/callback").split(","),
  }),
);

createServer((request, response) => {
  if (request.url === "/api/smartbills/token") return tokenEndpoint(request, response);
  response.statusCode = 404;
  response.end();
}).listen(8787, "127.0.0.1", () => console.log("Exchange endpoint on http://127.0.0.1:8787/api/smartbills/token"));
