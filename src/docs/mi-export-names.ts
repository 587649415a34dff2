// Display names for MI's forms, made from the catalogue's camelCase names.

/** `getRecordById` -> `Get Record By Id`, `serviceNowInstanceURL` -> `Service Now Instance URL`. */
export function humanize(name: string): string {
  const words = name
    .replace(/([a-z0-9])([A-Z])/g, '$1 $2')
    .replace(/([A-Z]+)([A-Z][a-z])/g, '$1 $2')
    .replace(/[_-]+/g, ' ')
    .split(' ')
    .filter((w) => w.length > 0);
  return words.map((w) => w[0]!.toUpperCase() + w.slice(1)).join(' ');
}
