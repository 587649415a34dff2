// Cold start case: this process loads the connector (catalogue read, schemas and templates compiled), connects
// and sends one getRecords request to the URL given; the parent times process start to the request's arrival.
// With `raw`, the baseline: the same request with undici alone.
const [url, mode = 'connector'] = process.argv.slice(2);
if (mode === 'raw') {
  const { request } = await import('undici');
  const res = await request(`${url}/api/now/table/incident?sysparm_limit=1`, { headers: { accept: 'application/json' } });
  await res.body.text();
} else if (mode === 'node') {
  const http = await import('node:http');
  await new Promise<void>((resolve) => http.get(`${url}/api/now/table/incident?sysparm_limit=1`, (res) => res.resume().on('end', resolve)));
} else {
  const { loadConnector } = await import('../../src/index.js');
  const connector = await loadConnector();
  const conn = connector.connect({ serviceNowInstanceURL: url!, username: 'admin', password: 'admin' });
  await conn.invoke('getRecords', { tableName: 'incident', sysparmLimit: 1 });
  await conn.close();
}
console.log(JSON.stringify({ ok: true }));
