import { forwardRef, type ButtonHTMLAttributes, type MouseEvent } from "react";
import type { SmartbillsAuthError } from "../core/errors.js";
import type { LoginOptions } from "./SmartbillsClient.js";
import { useSmartbillsLogin } from "./useSmartbillsLogin.js";

/** Props of {@link LoginButton}: a `<button>`'s props plus the login's options. */
export interface LoginButtonProps extends Omit<ButtonHTMLAttributes<HTMLButtonElement>, "type">, Omit<LoginOptions, "openUrl"> {
  /** Called when the login cannot start (no WebCrypto, storage blocked). */
  onLoginError?: (error: SmartbillsAuthError) => void;
  type?: "button" | "submit" | "reset";
}

/**
 * A `<button>` that starts the sign-in. Other button props pass through; it is disabled (and
 * `aria-busy`) while the page is redirecting, so a double click makes no second login.
 *
 * @example
 * ```tsx
 * <LoginButton returnTo="/dashboard" className="btn">Sign in with Smartbills</LoginButton>
 * ```
 */
export const LoginButton = forwardRef<HTMLButtonElement, LoginButtonProps>(function LoginButton(
  { returnTo, scope, prompt, loginHint, extraParams, onLoginError, onClick, disabled, children = "Sign in with Smartbills", type = "button", ...rest },
  ref,
) {
  const { login, isRedirecting } = useSmartbillsLogin();
  const handleClick = (event: MouseEvent<HTMLButtonElement>) => {
    onClick?.(event);
    if (event.defaultPrevented) return;
    login({
      ...(returnTo !== undefined && { returnTo }),
      ...(scope !== undefined && { scope }),
      ...(prompt !== undefined && { prompt }),
      ...(loginHint !== undefined && { loginHint }),
      ...(extraParams !== undefined && { extraParams }),
    }).catch((error: SmartbillsAuthError) => {
      // Also kept in useSmartbillsLogin().error; without a handler it stays visible in the console.
      if (onLoginError) onLoginError(error);
      else console.error(error);
    });
  };
  return (
    <button
      {...rest}
      ref={ref}
      type={type}
      onClick={handleClick}
      disabled={disabled || isRedirecting}
      aria-busy={isRedirecting || undefined}
    >
      {children}
    </button>
  );
});
