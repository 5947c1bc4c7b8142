/** The shapes of the (local) Smartbills API's answers that the dashboard reads. */
export interface ConnectedAccount {
  id: string;
  name: string;
}

/** `GET /v1/me`: who the token belongs to, checked by the server, and the account acted for. */
export interface Me {
  active: boolean;
  sub: string | null;
  name: string | null;
  email: string | null;
  clientId: string;
  scope: string | null;
  onBehalfOf: ConnectedAccount | null;
}

/** `GET /v1/accounts`: the connected accounts the user may act for. */
export interface Accounts {
  accounts: ConnectedAccount[];
}

/** Thrown for a non-2xx API answer, with its status and body. */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly body: unknown,
  ) {
    const code = typeof body === "object" && body !== null && "error" in body ? String((body as { error: unknown }).error) : "";
    super(`HTTP ${status}${code ? ` ${code}` : ""}`);
    this.name = "ApiError";
  }
}

/** Reads a JSON answer, throwing {@link ApiError} for a non-2xx one. */
export async function readJson<T>(response: Response): Promise<T> {
  const text = await response.text();
  let body: unknown = text;
  try {
    body = text ? JSON.parse(text) : null;
  } catch {
    // Not JSON: keep the text.
  }
  if (!response.ok) throw new ApiError(response.status, body);
  return body as T;
}
