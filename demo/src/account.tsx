import { createContext, useCallback, useContext, useState, type ReactNode } from "react";

/**
 * The connected Smartbills account the user acts for. It lives above <SmartbillsProvider>, which
 * receives it as `onBehalfOf` and sends it as the `on-behalf-of` header with every API call.
 * Kept in sessionStorage so a reload keeps the choice (it is an id, not a secret).
 */
interface AccountState {
  account: string | undefined;
  setAccount(account: string | undefined): void;
}

const AccountContext = createContext<AccountState | null>(null);
const KEY = "demo.account";

export function useAccountState(): AccountState {
  const [account, setState] = useState<string | undefined>(() => sessionStorage.getItem(KEY) ?? undefined);
  const setAccount = useCallback((next: string | undefined) => {
    if (next) sessionStorage.setItem(KEY, next);
    else sessionStorage.removeItem(KEY);
    setState(next);
  }, []);
  return { account, setAccount };
}

export function AccountProvider({ value, children }: { value: AccountState; children?: ReactNode }) {
  return <AccountContext.Provider value={value}>{children}</AccountContext.Provider>;
}

export function useAccount(): AccountState {
  const value = useContext(AccountContext);
  if (!value) throw new Error("useAccount must be used inside <AccountProvider>");
  return value;
}
