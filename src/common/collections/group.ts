/** Appends `value` to the list under `key`, starting the list if there is none (linear, unlike re-spreading it). */
export function addTo<K, V>(lists: Map<K, V[]>, key: K, value: V): void {
  const list = lists.get(key);
  if (list) list.push(value);
  else lists.set(key, [value]);
}
