/** Backend-for-frontend mode: ending the Smartbills session from a guarded page must not start a new sign-in. */
import { act, fireEvent, render, screen, waitFor } from "@testing-library/react";
import { describe, expect, it, vi } from "vitest";
import { jsonResponse } from "./helpers";
import { RequireAuth } from "../../src/react/RequireAuth";
import { useSmartbillsAuth } from "../../src/react/useSmartbillsAuth";
import { createBffNetwork, createBffWrapper } from "./bffHelpers";

describe("bff: logout({ endSession: true }) under <RequireAuth>", () => {
  it("does not start a new sign-in while the browser leaves for the end-session endpoint", async () => {
    const endSessionUrl = "https://api.smartbills.io/connect/endsession?client_id=app&state=s";
    const network = createBffNetwork({ logout: () => jsonResponse({ endSessionUrl }) });
    const { Wrapper } = createBffWrapper(network);
    const login = vi.fn();
    const leave = vi.fn((_url: string) => new Promise<void>(() => {})); // a navigation that is under way
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
    await waitFor(() => expect(leave).toHaveBeenCalledWith(endSessionUrl));
    await act(() => new Promise((resolve) => setTimeout(resolve, 50)));
    expect(login).not.toHaveBeenCalled();
    expect(network.to("login")).toHaveLength(0);
  });
});
