/**
 * The dev server's own HTML pages: errors, the sign-out confirmation and its success page. Offline
 * (no fonts or scripts from elsewhere) and escaped.
 */
import type { KoaContextWithOIDC } from "oidc-provider";

export const htmlEscape = (value: string): string =>
  value.replace(/[&<>"']/g, (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" })[c] ?? c);

export const page = (title: string, body: string): string =>
  `<!DOCTYPE html><html><head><meta charset="utf-8"><title>${htmlEscape(title)}</title>` +
  `<meta name="viewport" content="width=device-width, initial-scale=1">` +
  `<style>body{font-family:system-ui,sans-serif;max-width:28rem;margin:3rem auto;padding:0 1rem}pre{white-space:pre-wrap}</style>` +
  `</head><body>${body}</body></html>`;

export function renderError(ctx: KoaContextWithOIDC, out: Record<string, string>): void {
  ctx.type = "html";
  ctx.body = page(
    "Error",
    `<h1>Something went wrong</h1>` +
      Object.entries(out)
        .map(([key, value]) => `<pre><strong>${htmlEscape(key)}</strong>: ${htmlEscape(String(value))}</pre>`)
        .join(""),
  );
}

/**
 * The end-session page. With a valid `id_token_hint` the app asked for this sign-out, so (as
 * IdentityServer does) it is not asked again: the form submits itself with `logout=yes`, which ends
 * the whole session (the next sign-in shows the login page). Without one, the user chooses.
 */
export async function logoutSource(ctx: KoaContextWithOIDC, form: string): Promise<void> {
  ctx.type = "html";
  const hinted = ctx.oidc?.entities.IdTokenHint !== undefined;
  const yes = `<button autofocus type="submit" form="op.logoutForm" value="yes" name="logout">Yes, sign me out</button>`;
  if (hinted) {
    const autoForm = form.replace("</form>", `<input type="hidden" name="logout" value="yes"/></form>`);
    ctx.body = page(
      "Signing out",
      `<h1>Signing out of Smartbills (local)…</h1>${autoForm}<noscript>${yes}</noscript>` +
        `<script>document.getElementById("op.logoutForm").submit()</script>`,
    );
    return;
  }
  ctx.body = page(
    "Sign out",
    `<h1>Sign out of Smartbills (local)?</h1>${form}${yes} <button type="submit" form="op.logoutForm">No, stay signed in</button>`,
  );
}

export async function postLogoutSuccessSource(ctx: KoaContextWithOIDC): Promise<void> {
  ctx.type = "html";
  ctx.body = page("Signed out", "<h1>Signed out</h1><p>You are signed out of the local Smartbills server.</p>");
}
