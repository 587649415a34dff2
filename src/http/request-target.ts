// Turns the runtime's (path, query pairs) into the request target undici sends.
// Every query name and value is percent-encoded here and only here, so a value holding `&`, `=` or `#`
// can never add or change a parameter (the WSO2 connector's injection fault).

export function requestTarget(basePath: string, path: string, query: ReadonlyArray<readonly [string, string]>): string {
  const target = basePath + path;
  if (query.length === 0) return target;
  let qs = '';
  for (let i = 0; i < query.length; i++) {
    const pair = query[i];
    if (i > 0) qs += '&';
    qs += encodeURIComponent(pair[0]) + '=' + encodeURIComponent(pair[1]);
  }
  return target + '?' + qs;
}
