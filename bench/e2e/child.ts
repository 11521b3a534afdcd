/**
 * Child processes of the suite (generator workers, the systems under test) and the small
 * request/reply protocol the parent drives them with over Node's IPC channel. Every part runs in its
 * own process so that the generator, the target and the orchestrator never share an event loop.
 */
import { fork, type ChildProcess } from 'node:child_process';

/** A request from the parent. */
interface Request {
  readonly id: number;
  readonly method: string;
  readonly arg: unknown;
}

/** A reply, or an event the child sends on its own (`event` set, no `id`). */
type Reply =
  | { readonly id: number; readonly ok: true; readonly value: unknown }
  | { readonly id: number; readonly ok: false; readonly error: string }
  | { readonly event: string; readonly data: unknown };

/** A running child, seen from the parent. */
export interface Child {
  readonly process: ChildProcess;
  /** Calls a handler the child registered with {@link serveParent}. */
  call<T>(method: string, arg?: unknown): Promise<T>;
  /** Listens for events the child emits with {@link emitToParent}. */
  on(event: string, listener: (data: unknown) => void): void;
  /** Resolves with the exit code once the child exited. */
  readonly exited: Promise<number | null>;
}

/** Options of {@link startChild}. */
export interface StartChildOptions {
  /** Write a V8 CPU profile of the child into this directory when it exits. */
  readonly cpuProfileDir?: string;
  readonly env?: NodeJS.ProcessEnv;
}

/** Starts a TypeScript entry point under tsx with the workspace's source conditions. */
export function startChild(entry: string, options: StartChildOptions = {}): Child {
  const execArgv = ['--conditions=@vigil/source', '--import', 'tsx'];
  if (options.cpuProfileDir !== undefined)
    execArgv.push('--cpu-prof', `--cpu-prof-dir=${options.cpuProfileDir}`);
  const child = fork(entry, [], {
    execArgv,
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
    env: { ...process.env, ...options.env },
    serialization: 'advanced',
  });
  let next = 1;
  const waiting = new Map<number, { resolve: (value: unknown) => void; reject: (error: Error) => void }>();
  const listeners = new Map<string, ((data: unknown) => void)[]>();
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  void exited.then((code) => {
    for (const pending of waiting.values()) pending.reject(new Error(`${entry} exited (${code})`));
    waiting.clear();
  });
  child.on('message', (message: Reply) => {
    if ('event' in message) {
      for (const listener of listeners.get(message.event) ?? []) listener(message.data);
      return;
    }
    const pending = waiting.get(message.id);
    waiting.delete(message.id);
    if (message.ok) pending?.resolve(message.value);
    else pending?.reject(new Error(message.error));
  });
  return {
    process: child,
    exited,
    call<T>(method: string, arg?: unknown): Promise<T> {
      const id = next++;
      return new Promise<T>((resolve, reject) => {
        waiting.set(id, { resolve: resolve as (value: unknown) => void, reject });
        child.send({ id, method, arg } satisfies Request);
      });
    },
    on(event, listener) {
      listeners.set(event, [...(listeners.get(event) ?? []), listener]);
    },
  };
}

/** Handlers a child offers its parent; each gets the request's argument. */
export type Handlers = Record<string, (arg: never) => unknown>;

/** In a child: answers the parent's calls; the process exits when the parent goes away. */
export function serveParent(handlers: Handlers): void {
  process.on('disconnect', () => process.exit(0));
  process.on('message', (request: Request) => {
    const handler = handlers[request.method];
    Promise.resolve()
      .then(() => {
        if (handler === undefined) throw new Error(`no handler ${request.method}`);
        return (handler as (arg: unknown) => unknown)(request.arg);
      })
      .then(
        (value) => process.send?.({ id: request.id, ok: true, value } satisfies Reply),
        (error: unknown) =>
          process.send?.({
            id: request.id,
            ok: false,
            error: error instanceof Error ? (error.stack ?? error.message) : String(error),
          } satisfies Reply),
      );
  });
}

/** In a child: sends an event to the parent. */
export function emitToParent(event: string, data: unknown): void {
  process.send?.({ event, data } satisfies Reply);
}

/** Resident set size of any process in bytes, from /proc (works for non-Node peers too). */
export async function residentBytes(pid: number): Promise<number> {
  const { readFile } = await import('node:fs/promises');
  const status = await readFile(`/proc/${pid}/status`, 'utf8');
  const kib = /VmRSS:\s+(\d+) kB/.exec(status)?.[1];
  return Number(kib ?? 0) * 1024;
}
