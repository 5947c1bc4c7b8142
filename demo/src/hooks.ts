import { useEffect, useRef, useState } from "react";

/** The current time, updated every `intervalMs`: drives the live countdown. */
export function useNow(intervalMs = 250): number {
  const [now, setNow] = useState(Date.now);
  useEffect(() => {
    const id = setInterval(() => setNow(Date.now()), intervalMs);
    return () => clearInterval(id);
  }, [intervalMs]);
  return now;
}

/**
 * How many times `value` changed to another non-null value while mounted: with the access token,
 * the number of refreshes seen by this page. (The demo never renders the token itself.)
 */
export function useChangeCount(value: string | null): number {
  const previous = useRef(value);
  const [count, setCount] = useState(0);
  useEffect(() => {
    if (value !== null && previous.current !== null && value !== previous.current) setCount((n) => n + 1);
    if (value !== null) previous.current = value;
  }, [value]);
  return count;
}
