import { forwardRef, type ButtonHTMLAttributes, type MouseEvent } from "react";
import type { SmartbillsAuthError } from "../core/errors.js";
import type { LoginOptions } from "./SmartbillsClient.js";
import { useSmartbillsLogin } from "./useSmartbillsLogin.js";

/** Props of {@link LoginButton}: a `<button>`'s props plus the login's options. */
export interface LoginButtonProps extends Omit<ButtonHTMLAttributes<HTMLButtonElement>, "type">, Omit<LoginOptions, "openUrl"> {
  /** Called when the login cannot start (no WebCrypto, storage blocked). */
  onLoginError?: (error: SmartbillsAuthError) => void;
  /** Default `"button"`, so a LoginButton inside a form never submits it. */
  type?: "button" | "submit" | "reset";
}

/**
 * A `<button>` that starts the sign-in. Other button props pass through. While the page is
 * redirecting it is `aria-disabled` and `aria-busy` and ignores clicks, so a double click makes no
 * second login; it is not natively `disabled` then, because that would drop keyboard focus.
 *
 * @example
 * ```tsx
 * <LoginButton returnTo="/dashboard" className="btn">Sign in with Smartbills</LoginButton>
 * ```
 */
export const LoginButton = forwardRef<HTMLButtonElement, LoginButtonProps>(function LoginButton(
  { returnTo, scope, prompt, loginHint, extraParams, onLoginError, onClick, children = "Sign in with Smartbills", type = "button", ...rest },
  ref,
) {
  const { login, isRedirecting } = useSmartbillsLogin();
  const busy = isRedirecting || undefined;
  const handleClick = (event: MouseEvent<HTMLButtonElement>) => {
    onClick?.(event);
    if (event.defaultPrevented || isRedirecting) return;
    // Unset options are undefined here, which login treats as absent.
    // The failure is also kept in useSmartbillsLogin().error; without a handler it stays visible in the console.
    login({ returnTo, scope, prompt, loginHint, extraParams }).catch(onLoginError || console.error);
  };
  return (
    <button aria-disabled={busy} aria-busy={busy} {...rest} ref={ref} type={type} onClick={handleClick}>
      {children}
    </button>
  );
});
