/**
 * Sets `key` last in `map`'s order (Map order = least recently touched first) and, past `maxKeys`
 * entries, drops the least recently touched: the bounded memory of the sign-in throttle and the
 * new-engagement limit, whose keys come from clients.
 */
export function setRecent<V>(map: Map<string, V>, key: string, value: V, maxKeys: number): void {
  map.delete(key); // re-inserted last: evicted last
  map.set(key, value);
  if (map.size > maxKeys) {
    const oldest = map.keys().next().value;
    if (oldest !== undefined) map.delete(oldest);
  }
}
