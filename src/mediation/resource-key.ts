// Registry keys as MI writes them: `conf:/schema/a.json`, `conf:schema/a.json` and `gov:/...` name one resource of
// the configuration or governance registry whether or not the path starts with a slash. Other keys (local entries)
// are names as they are.
export function resourceKey(key: string): string {
  const m = /^(conf|gov):\/*(.*)$/.exec(key.trim());
  return m ? `${m[1]}:${m[2]}` : key;
}
