import type { SmartbillsUser } from "../../core/idToken.js";
import { readCookie, SESSION_COOKIE, SESSION_ID } from "./cookies.js";
import type { BffKeys } from "./seal.js";
import { withStoreDeadline, type SessionStore } from "./sessionStore.js";

/**
 * Who is signed in, as server code sees it through `bff.getSession()`. Never a token.
 *
 * @example
 * ```ts
 * const session = await bff.getSession(request); session?.user.name
 * ```
 * @see https://openid.net/specs/openid-connect-core-1_0.html#IDToken
 */
export interface SmartbillsSession {
  /** The claims of the sign-in's ID token (null when the sign-in returned none). */
  user: SmartbillsUser | null;
  /** When the session ends at the latest (absolute or idle timeout, whichever comes first), epoch ms. */
  expiresAt: number;
  /** The scope the access token was granted. */
  scope: string | null;
  /** When the user signed in, epoch ms. */
  authenticatedAt: number;
}

/** The session as sealed in the store. @internal */
export interface StoredSession {
  v: 1;
  user: SmartbillsUser | null;
  accessToken: string;
  refreshToken: string | null;
  idToken: string | null;
  /** Access-token expiry and issue time, epoch ms. */
  tokenExpiresAt: number;
  tokenIssuedAt: number;
  scope: string | null;
  createdAt: number;
  lastSeenAt: number;
}

/** A session read for a request: its id's store key and its record. @internal */
export interface LoadedSession {
  key: string;
  session: StoredSession;
}

/** What the session layer needs from the BFF's configuration. @internal */
export interface SessionContext {
  keys: BffKeys;
  store: SessionStore;
  storeTimeoutMs: number;
  sessionTtlMs: number;
  idleTimeoutMs: number;
  now: () => number;
}

/** When `session` ends: the absolute or the idle timeout, whichever is first. @internal */
export function sessionEnd(ctx: SessionContext, session: StoredSession): number {
  return Math.min(session.createdAt + ctx.sessionTtlMs, session.lastSeenAt + ctx.idleTimeoutMs);
}

/** The public view of a stored session. @internal */
export function publicSession(ctx: SessionContext, session: StoredSession): SmartbillsSession {
  return { user: session.user, expiresAt: sessionEnd(ctx, session), scope: session.scope, authenticatedAt: session.createdAt };
}

/** The session id of a `Cookie` header, if it has the shape of one we issue. @internal */
export function sessionIdFrom(cookieHeader: string | null): string | null {
  const id = readCookie(cookieHeader, SESSION_COOKIE);
  return id !== null && SESSION_ID.test(id) ? id : null;
}

/** Reads and opens the session under `key`; `null` when absent, unopenable or timed out (then deleted). @internal */
export async function readSession(ctx: SessionContext, key: string): Promise<StoredSession | null> {
  const sealed = await withStoreDeadline(ctx.store.get(key), ctx.storeTimeoutMs);
  if (sealed === null) return null;
  const text = await ctx.keys.unseal(key, sealed);
  const session = text === null ? null : parseSession(text);
  // A record that does not open under its own key was written by someone else (or moved from another key).
  if (session === null) return null;
  if (sessionEnd(ctx, session) <= ctx.now()) {
    await deleteSession(ctx, key).catch(() => {});
    return null;
  }
  return session;
}

/** The session of a request's `Cookie` header, or `null`. @internal */
export async function loadSession(ctx: SessionContext, cookieHeader: string | null): Promise<LoadedSession | null> {
  const id = sessionIdFrom(cookieHeader);
  if (id === null) return null;
  const key = await ctx.keys.storeKey(id);
  const session = await readSession(ctx, key);
  return session === null ? null : { key, session };
}

/** Seals and stores `session` for the rest of its life. @internal */
export async function writeSession(ctx: SessionContext, key: string, session: StoredSession): Promise<void> {
  const ttlMs = sessionEnd(ctx, session) - ctx.now();
  if (ttlMs <= 0) return deleteSession(ctx, key);
  const sealed = await ctx.keys.seal(key, JSON.stringify(session));
  await withStoreDeadline(ctx.store.set(key, sealed, Math.ceil(ttlMs / 1000)), ctx.storeTimeoutMs);
}

/** Removes the session under `key`. @internal */
export async function deleteSession(ctx: SessionContext, key: string): Promise<void> {
  await withStoreDeadline(ctx.store.delete(key), ctx.storeTimeoutMs);
}

/** Whether the idle clock should be moved on: at most once a minute (or a quarter of the idle time). @internal */
export function needsTouch(ctx: SessionContext, session: StoredSession): boolean {
  return ctx.now() - session.lastSeenAt >= Math.min(60_000, ctx.idleTimeoutMs / 4);
}

function parseSession(text: string): StoredSession | null {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return null;
  }
  if (typeof value !== "object" || value === null) return null;
  const s = value as Partial<StoredSession>;
  if (s.v !== 1 || typeof s.accessToken !== "string" || typeof s.tokenExpiresAt !== "number" || typeof s.createdAt !== "number") return null;
  if (typeof s.lastSeenAt !== "number" || typeof s.tokenIssuedAt !== "number") return null;
  return s as StoredSession;
}
