import net from 'node:net';

/**
 * A loopback port that was free a moment ago: the system picks it (listen on port 0), then it is
 * closed again. Connecting to it is refused; a process that cannot be given port 0 (redis-server)
 * can listen on it.
 */
export async function freePort(): Promise<number> {
  const server = net.createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as net.AddressInfo;
  await new Promise((resolve) => server.close(resolve));
  return port;
}
