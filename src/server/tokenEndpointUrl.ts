/**
 * The token endpoint `${authority}/connect/token`, computed once from configuration: never from a
 * request's `Host` or `X-Forwarded-*`, which a caller controls. Throws a `TypeError` naming the
 * option when `authority` is not an absolute http(s) URL.
 *
 * @internal
 */
export function tokenEndpointUrl(authority: unknown, caller: string): string {
  const problem = `${caller}: "authority" must be an absolute http(s) URL without credentials, query or fragment.`;
  if (typeof authority !== "string" || authority.trim() === "") throw new TypeError(problem);
  let url: URL;
  try {
    url = new URL(authority);
  } catch {
    throw new TypeError(problem);
  }
  if ((url.protocol !== "https:" && url.protocol !== "http:") || url.search !== "" || url.hash !== "" || url.username !== "" || url.password !== "") {
    throw new TypeError(problem);
  }
  return `${url.origin}${url.pathname.replace(/\/+$/, "")}/connect/token`;
}
