import { Callback } from "@smartbills/react";

// The redirect URI (by default `${location.origin}/callback`). The provider's onRedirectCallback
// navigates back to the page the sign-in started from.
export default function CallbackPage() {
  return <Callback loading={<p>Signing you in…</p>} />;
}
