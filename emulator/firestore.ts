/**
 * Google's Cloud Firestore emulator (the one shipped with Google Cloud CLI) as a child process.
 *
 * We launch `java -cp <jar>` ourselves rather than `gcloud emulators firestore start`: gcloud forks the
 * JVM behind a Python wrapper, so killing the PID we know would orphan the emulator. The JVM runs in its
 * own process group and we kill the whole group on stop and on our own exit.
 *
 * The npm community emulator is deliberately not used: its transactions are fake (every contender of a
 * lock "wins"), so it cannot test a lock.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createServer, type Socket } from 'node:net';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';

export interface FirestoreEmulatorOptions {
  /** 0 (default) picks a free ephemeral port. */
  port?: number;
  projectId?: string;
  /** How long to wait for the emulator to answer; the JVM is usually ready in about 1 s. */
  readyTimeoutMs?: number;
}

export interface FirestoreEmulator {
  /** `127.0.0.1:PORT`, the value for FIRESTORE_EMULATOR_HOST. */
  host: string;
  projectId: string;
  pid: number;
  /** Deletes every document of a project (default: this emulator's project). */
  wipe(projectId?: string): Promise<void>;
  stop(): Promise<void>;
}

export class FirestoreEmulatorUnavailableError extends Error {
  override name = 'FirestoreEmulatorUnavailableError';
}

const INSTALL_HINT =
  'Install it with `gcloud components install cloud-firestore-emulator` ' +
  '(or the `google-cloud-cli-firestore-emulator` Debian package), and Java 17 or newer; ' +
  'or point GRADEGUARD_FIRESTORE_EMULATOR_JAR at cloud-firestore-emulator.jar.';

const JAR_IN_SDK = join('platform', 'cloud-firestore-emulator', 'cloud-firestore-emulator.jar');

// Asking gcloud for its SDK root costs about a second, so the usual install locations go first.
const COMMON_SDK_ROOTS = [
  '/usr/lib/google-cloud-sdk',
  '/usr/share/google-cloud-sdk',
  '/opt/google-cloud-sdk',
  '/snap/google-cloud-cli/current',
  '/snap/google-cloud-sdk/current',
  '/opt/homebrew/share/google-cloud-sdk',
  '/usr/local/share/google-cloud-sdk',
  join(homedir(), 'google-cloud-sdk'),
];

async function findFirestoreEmulatorJar(): Promise<string> {
  const override = process.env.GRADEGUARD_FIRESTORE_EMULATOR_JAR;
  if (override) {
    if (existsSync(override)) return override;
    throw new FirestoreEmulatorUnavailableError(`GRADEGUARD_FIRESTORE_EMULATOR_JAR points at ${override}, which does not exist. ${INSTALL_HINT}`);
  }
  const roots = [process.env.CLOUDSDK_ROOT_DIR, ...COMMON_SDK_ROOTS].filter((r): r is string => !!r);
  for (const root of roots) {
    if (existsSync(join(root, JAR_IN_SDK))) return join(root, JAR_IN_SDK);
  }
  // Last resort, asked of gcloud itself (absent: the shell's 127, no SDK root).
  const { $ } = await import('zx/core');
  const gcloud = await $({ nothrow: true, quiet: true, verbose: false, stdio: ['ignore', 'pipe', 'pipe'] })`gcloud info --format=${'value(installation.sdk_root)'}`;
  const sdkRoot = gcloud.exitCode === 0 ? gcloud.stdout.trim() : '';
  if (sdkRoot && existsSync(join(sdkRoot, JAR_IN_SDK))) return join(sdkRoot, JAR_IN_SDK);
  throw new FirestoreEmulatorUnavailableError(`The Cloud Firestore emulator was not found (looked in ${roots.join(', ')}` + `${sdkRoot ? ` and ${sdkRoot}` : ''}). ${INSTALL_HINT}`);
}

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.unref();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

const running = new Set<ChildProcess>();
let exitHookInstalled = false;

function killGroup(child: ChildProcess, signal: NodeJS.Signals): void {
  if (child.pid === undefined) return;
  try {
    process.kill(-child.pid, signal);
  } catch {
    // Already gone.
  }
}

// A crashed or interrupted test run must not leave a 270 MB JVM behind. The JVM has its own process group
// (so stop() can kill the group), which also means Ctrl-C no longer reaches it: forward the usual signals.
function installExitHook(): void {
  if (exitHookInstalled) return;
  exitHookInstalled = true;
  const killAll = () => {
    for (const child of running) killGroup(child, 'SIGKILL');
  };
  process.on('exit', killAll);
  for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) {
    const onSignal = () => {
      killAll();
      // Nobody else handles it: fall back to the default (terminate) by re-raising without us.
      if (process.listenerCount(signal) === 1) {
        process.removeListener(signal, onSignal);
        process.kill(process.pid, signal);
      }
    };
    process.on(signal, onSignal);
  }
}

export async function startFirestoreEmulator(options: FirestoreEmulatorOptions = {}): Promise<FirestoreEmulator> {
  const projectId = options.projectId ?? 'gradeguard-local';
  const jar = await findFirestoreEmulatorJar();
  // An ephemeral port can be taken between our probe and the JVM's bind; try a few.
  for (let attempt = 1; ; attempt++) {
    const port = options.port || (await freePort());
    try {
      return await launch(jar, port, projectId, options.readyTimeoutMs ?? 30_000);
    } catch (error) {
      const portClash = /address already in use|BindException/i.test(String(error));
      if (!portClash || options.port || attempt >= 3) throw error;
    }
  }
}

/**
 * A local emulator serves light load on a 2-core machine beside the tests: the C1 compiler only and the serial
 * collector spend less CPU than the JVM's defaults (C2 and parallel GC threads). The emulator's CPU from its start
 * through four `grade` runs: 5.0 s with the defaults, 3.0 s with these flags, measured one after the other.
 */
const JVM_FLAGS = ['-XX:TieredStopAtLevel=1', '-XX:+UseSerialGC'];

async function launch(jar: string, port: number, projectId: string, readyTimeoutMs: number): Promise<FirestoreEmulator> {
  const host = `127.0.0.1:${port}`;
  // node's spawn, not zx's $ (which the short-lived dataform and gcloud runs use): this child is a server that
  // outlives the call. zx 8's $ keeps every chunk of the child's output in memory until it exits (its ProcessOutput),
  // unbounded for a JVM that logs for a whole test run; here only the last 8 KB are kept, for error messages. $ always
  // runs the command under a shell, so its pid is the shell's, and its kill() finds the descendants by an async `ps`
  // walk, while the exit hook must kill synchronously (process.on('exit') cannot await): the JVM leads its own process
  // group (detached) and the hook kills the group by pid. And the child and its pipes are unref'd, so a test or
  // command can exit while it runs. Readiness is an HTTP probe, not an output line.
  const child = spawn(
    process.env.JAVA ?? 'java',
    ['-Duser.language=en', ...JVM_FLAGS, '-cp', jar, 'com.google.cloud.datastore.emulator.firestore.CloudFirestore', 'start', '--host=127.0.0.1', `--port=${port}`],
    {
      detached: true,
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  let output = '';
  const collect = (chunk: Buffer) => {
    output = (output + chunk.toString()).slice(-8_000);
  };
  child.stdout!.on('data', collect);
  child.stderr!.on('data', collect);
  let spawnError: NodeJS.ErrnoException | undefined;
  const exited = new Promise<void>((resolve) => {
    child.on('exit', () => resolve());
    child.on('error', (error) => {
      spawnError = error;
      resolve();
    });
  });
  running.add(child);
  installExitHook();
  child.unref();
  // Output is only kept for error messages; it must not keep our process alive either.
  (child.stdout as Socket).unref();
  (child.stderr as Socket).unref();

  const stop = async () => {
    if (child.exitCode !== null || child.signalCode !== null) return;
    killGroup(child, 'SIGTERM');
    const timer = setTimeout(() => killGroup(child, 'SIGKILL'), 5_000);
    await exited;
    clearTimeout(timer);
    running.delete(child);
  };

  const deadline = Date.now() + readyTimeoutMs;
  for (;;) {
    const outcome = await Promise.race([exited.then(() => 'exited' as const), isReady(host).then((ok) => (ok ? ('ready' as const) : ('waiting' as const)))]);
    if (outcome === 'ready') break;
    if (spawnError) {
      running.delete(child);
      throw new FirestoreEmulatorUnavailableError(
        spawnError.code === 'ENOENT'
          ? `Java was not found (${process.env.JAVA ?? 'java'}), and the Cloud Firestore emulator needs it. ${INSTALL_HINT}`
          : `Could not start the Cloud Firestore emulator: ${spawnError.message}`,
      );
    }
    if (outcome === 'exited') {
      running.delete(child);
      throw new FirestoreEmulatorUnavailableError(`The Cloud Firestore emulator exited before it was ready:\n${output}`);
    }
    if (Date.now() > deadline) {
      await stop();
      throw new FirestoreEmulatorUnavailableError(`The Cloud Firestore emulator did not answer on ${host} within ${readyTimeoutMs} ms:\n${output}`);
    }
    await new Promise((r) => setTimeout(r, 100));
  }

  return {
    host,
    projectId,
    pid: child.pid!,
    wipe: (project = projectId) => wipe(host, project),
    stop,
  };
}

async function isReady(host: string): Promise<boolean> {
  try {
    const response = await fetch(`http://${host}/`, { signal: AbortSignal.timeout(1_000) });
    return response.ok;
  } catch {
    return false;
  }
}

export async function wipe(host: string, projectId: string): Promise<void> {
  const url = `http://${host}/emulator/v1/projects/${projectId}/databases/(default)/documents`;
  const response = await fetch(url, { method: 'DELETE' });
  if (!response.ok) throw new Error(`Wiping the Firestore emulator failed: ${response.status} ${await response.text()}`);
}

// `npx tsx emulator/firestore.ts [port]`: one emulator for several processes (e.g. test runs) to share.
if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const emulator = await startFirestoreEmulator({ port: Number(process.argv[2] ?? 0) });
  process.stdout.write(`export FIRESTORE_EMULATOR_HOST=${emulator.host}  # pid ${emulator.pid}; Ctrl-C stops it\n`);
  const keepAlive = setInterval(() => {}, 1 << 30);
  for (const signal of ['SIGINT', 'SIGTERM'] as const) {
    process.on(signal, () => void emulator.stop().finally(() => clearInterval(keepAlive)));
  }
}
