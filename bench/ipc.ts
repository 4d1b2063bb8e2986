/** Messages between the benchmark (parent) and the process running the servers (child). */
import type { ChildProcess } from 'node:child_process';

export interface InitArgs {
  dbUrl: string;
  tokens: { secret: string; issuer: string; audience: string; ttlSeconds: number };
  poolMax: number;
  logLevel: string;
}

export interface MemorySample {
  heapUsed: number;
  heapTotal: number;
  rss: number;
  external: number;
  gc: boolean;
}

export interface Commands {
  init: { args: InitArgs; result: { servicePort: number; baselinePort: number; pid: number; preparedPerConnection: number } };
  captureStart: { args: { reqId: string }; result: null };
  /** Ends a recording and installs it as baseline script `key`; returns the replayed statements. */
  captureTake: { args: { reqId: string; key: string }; result: { statements: string[]; failed: number; ownerVariant: boolean } };
  memory: { args: { gc: boolean }; result: MemorySample };
  stop: { args: Record<string, never>; result: null };
}

export type Command = keyof Commands;

export interface Request<C extends Command = Command> {
  id: number;
  cmd: C;
  args: Commands[C]['args'];
}

export type Reply = { id: number; ok: true; result: unknown } | { id: number; ok: false; error: string };

/** Parent side: `call(child, 'memory', { gc: true })`. */
export function rpc(child: ChildProcess) {
  let next = 1;
  const pending = new Map<number, { resolve: (v: unknown) => void; reject: (e: Error) => void }>();
  child.on('message', (m: Reply) => {
    const p = pending.get(m.id);
    if (!p) return;
    pending.delete(m.id);
    if (m.ok) p.resolve(m.result);
    else p.reject(new Error(m.error));
  });
  child.on('exit', (code) => {
    for (const p of pending.values()) p.reject(new Error(`server process exited (${code})`));
    pending.clear();
  });
  return <C extends Command>(cmd: C, args: Commands[C]['args']): Promise<Commands[C]['result']> =>
    new Promise((resolve, reject) => {
      const id = next++;
      pending.set(id, { resolve: resolve as (v: unknown) => void, reject });
      child.send({ id, cmd, args } satisfies Request<C>);
    });
}
