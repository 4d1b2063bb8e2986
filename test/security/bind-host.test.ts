import { loadConfig } from '../../src/config';

// Attack: a default that listens on every interface exposes the IDE and demo accounts to the network.
describe('listen address', () => {
  it('binds to loopback when HOST is not set', () => {
    expect(loadConfig({}).host).toBe('127.0.0.1');
    expect(loadConfig({ HOST: '' }).host).toBe('127.0.0.1');
  });

  it('binds where HOST says when it is set', () => {
    expect(loadConfig({ HOST: '0.0.0.0' }).host).toBe('0.0.0.0');
    expect(loadConfig({ HOST: '::1' }).host).toBe('::1');
  });

  it('reads numbers from the environment it is given, not the process one', () => {
    expect(loadConfig({ PORT: '4100' }).port).toBe(4100);
  });
});
