import net from 'node:net';
import { Client } from 'pg';
import { isDatabaseUnavailable } from '../../../src/db/outage';

/** The error a real call produces, however it reports it (rejection or 'error' event). */
function errorOf(work: (fail: (e: unknown) => void) => void): Promise<unknown> {
  return new Promise((resolve) => work(resolve));
}

describe('isDatabaseUnavailable: an outage (503) or a fault in what was asked', () => {
  it('a write to a socket that is already closed (the driver not having seen the close yet) is an outage', async () => {
    const socket = new net.Socket();
    socket.destroy();
    const err = await errorOf((fail) => {
      socket.on('error', fail);
      socket.write('Q', (e) => e && fail(e));
    });
    expect((err as { code?: string }).code).toBe('ERR_STREAM_DESTROYED');
    expect(isDatabaseUnavailable(err)).toBe(true);
  });

  it('a query on a pg client that was ended (as the pool ends a broken one) is an outage', async () => {
    const client = new Client({ host: '127.0.0.1', port: 1 });
    await client.end();
    const err = await client.query('select 1').then(
      () => null,
      (e: unknown) => e,
    );
    expect(String(err)).toMatch(/Client was closed and is not queryable/);
    expect(isDatabaseUnavailable(err)).toBe(true);
  });

  it('a refused connection is an outage, also when wrapped by the layer that met it', async () => {
    const server = net.createServer();
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const port = (server.address() as net.AddressInfo).port;
    await new Promise<void>((resolve) => server.close(() => resolve()));
    const err = await new Client({ host: '127.0.0.1', port }).connect().then(
      () => null,
      (e: unknown) => e,
    );
    expect(isDatabaseUnavailable(err)).toBe(true);
    expect(isDatabaseUnavailable(new Error('query failed', { cause: err }))).toBe(true);
  });

  it('errors in what was asked are not: a syntax error, a constraint, a plain bug', () => {
    expect(isDatabaseUnavailable(Object.assign(new Error('syntax error at or near "selec"'), { code: '42601' }))).toBe(false);
    expect(isDatabaseUnavailable(Object.assign(new Error('duplicate key value'), { code: '23505' }))).toBe(false);
    expect(isDatabaseUnavailable(new TypeError("Cannot read properties of undefined (reading 'id')"))).toBe(false);
    expect(isDatabaseUnavailable(null)).toBe(false);
  });

  it('a cycle of causes ends', () => {
    const a = new Error('a') as Error & { cause?: unknown };
    const b = new Error('b', { cause: a });
    a.cause = b;
    expect(isDatabaseUnavailable(a)).toBe(false);
  });
});
