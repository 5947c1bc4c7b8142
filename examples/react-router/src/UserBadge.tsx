import { useSmartbillsAuth } from "@smartbills/react";

/** Who is signed in, on every page: the claims of the ID token the sign-in returned. */
export function UserBadge() {
  const { user } = useSmartbillsAuth();
  if (!user) return null;
  return <p aria-label="Signed-in user">Signed in as {user.name ?? user.sub}</p>;
}
