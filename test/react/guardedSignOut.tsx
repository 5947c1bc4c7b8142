/** A page under <RequireAuth> whose button ends the Smartbills session: for the "no new sign-in while leaving" tests. */
import { act, fireEvent, render, screen, waitFor } from "@testing-library/react";
import type { ComponentType, ReactNode } from "react";
import { expect, vi } from "vitest";
import { RequireAuth } from "../../src/react/RequireAuth";
import { useSmartbillsAuth } from "../../src/react/useSmartbillsAuth";

/**
 * Renders the page in `Wrapper`, clicks "Sign out of Smartbills too" (whose opener never resolves: a navigation under
 * way), waits until the end-session URL is opened and a little longer, and returns the recorders: `leave` (the
 * end-session opener) and `login` (the opener of any sign-in <RequireAuth> would start).
 */
export async function signOutOfSmartbillsUnderRequireAuth(Wrapper: ComponentType<{ children?: ReactNode }>) {
  const login = vi.fn();
  const leave = vi.fn((_url: string) => new Promise<void>(() => {}));
  function SignOut() {
    const { logout } = useSmartbillsAuth();
    return <button onClick={() => void logout({ endSession: true, openUrl: leave })}>Sign out of Smartbills too</button>;
  }
  render(
    // (openUrl is not a RequireAuth option: passed through here only to see whether a login starts.)
    <RequireAuth loginOptions={{ openUrl: login } as object} fallback={<p>Redirecting…</p>}>
      <SignOut />
    </RequireAuth>,
    { wrapper: Wrapper },
  );
  fireEvent.click(await screen.findByRole("button", { name: "Sign out of Smartbills too" }));
  await waitFor(() => expect(leave).toHaveBeenCalledTimes(1));
  // Long enough for a wrongly started sign-in to reach its opener.
  await act(() => new Promise((resolve) => setTimeout(resolve, 50)));
  return { login, leave };
}
