// A port on 127.0.0.1 where connecting is refused, for tests of unreachable back ends.
//
// Why not "listen on port 0, close, reuse the number": the kernel hands out listen(0) ports from its ephemeral
// range, so the very next server a test starts (often the `snconnect serve` under test itself) could be given the
// same port, and the "refused" call then reached it and got a 404 (a failover test failed that way under a loaded
// suite). Every server in the tests listens on port 0, so a port below the ephemeral range that refuses now is not
// handed to any of them later.
import { connect } from 'node:net';

/** Linux's default ephemeral range starts at 32768; the services the suite uses listen far below 20000. */
const LOW = 20_000;
const HIGH = 32_000;

/** A port in [20000, 32000) that refuses connections now (checked, not assumed). */
export async function refusedPort(): Promise<number> {
  for (let attempt = 0; attempt < 50; attempt++) {
    const port = LOW + Math.floor(Math.random() * (HIGH - LOW));
    if (await refuses(port)) return port;
  }
  throw new Error('no refusing port found in 50 tries between 20000 and 32000');
}

function refuses(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect(port, '127.0.0.1');
    socket.once('connect', () => {
      socket.destroy();
      resolve(false);
    });
    socket.once('error', (err: NodeJS.ErrnoException) => resolve(err.code === 'ECONNREFUSED'));
  });
}
