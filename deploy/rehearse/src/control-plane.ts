/**
 * One real control plane per environment on loopback, started by kwokctl's `binary` runtime from the binaries
 * `make deps-rehearse` builds: etcd (Debian), kube-apiserver, kube-controller-manager, kube-scheduler (the
 * Kubernetes Go modules) and the kwok controller that plays the kubelet of simulated nodes. Every process is
 * kwokctl's child; `stop()` (also on SIGINT/SIGTERM and on exit) deletes the cluster, which ends them all.
 */
import { type ChildProcess, execFile, execFileSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { stringify } from 'yaml';
import { type Credentials, readKubeconfig } from './kube-client.ts';

/** Paths of the built tools; `make rehearse` passes them in the environment. */
export interface Toolchain {
  kubeBin: string;
  kubeVersion: string;
  kwokBin: string;
  etcd: string;
  /** kwokctl's work folder (clusters, logs, certificates); git-ignored under .tools/. */
  workdir: string;
}

export function toolchainFromEnv(env: NodeJS.ProcessEnv = process.env): Toolchain {
  const need = (name: string): string => {
    const value = env[name];
    if (!value) throw new Error(`${name} is not set: run the rehearsal through make rehearse`);
    return value;
  };
  return {
    kubeBin: need('REHEARSE_KUBE_BIN'),
    kubeVersion: need('REHEARSE_KUBE_VERSION'),
    kwokBin: need('REHEARSE_KWOK_BIN'),
    etcd: need('REHEARSE_ETCD'),
    workdir: need('REHEARSE_WORKDIR'),
  };
}

export interface ControlPlane {
  name: string;
  credentials: Credentials;
  kubeconfig: string;
  stop(): void;
}

const running = new Set<ControlPlane>();
let handlersInstalled = false;

function installCleanup(): void {
  if (handlersInstalled) return;
  handlersInstalled = true;
  const stopAll = () => {
    for (const plane of [...running]) plane.stop();
  };
  process.on('exit', stopAll);
  for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) {
    process.on(signal, () => {
      stopAll();
      process.exit(128 + (signal === 'SIGINT' ? 2 : signal === 'SIGTERM' ? 15 : 1));
    });
  }
}

function kwokctlEnv(tools: Toolchain): NodeJS.ProcessEnv {
  return { ...process.env, KWOK_WORKDIR: tools.workdir };
}

function deleteCluster(tools: Toolchain, name: string): void {
  try {
    execFileSync(join(tools.kwokBin, 'kwokctl'), ['delete', 'cluster', '--name', name], {
      env: kwokctlEnv(tools),
      stdio: 'ignore',
      timeout: 60_000,
    });
  } catch {
    // already gone
  }
}

/**
 * Starts the control plane `name` (an environment gets its own etcd, data folder and etcd prefix). A cluster of the
 * same name left behind by a killed run is deleted first.
 */
export async function startControlPlane(tools: Toolchain, name: string): Promise<ControlPlane> {
  installCleanup();
  const kwokctl = join(tools.kwokBin, 'kwokctl');
  deleteCluster(tools, name);
  const configDir = join(tools.workdir, 'config');
  mkdirSync(configDir, { recursive: true });
  const configFile = join(configDir, `${name}.yaml`);
  writeFileSync(
    configFile,
    stringify({
      apiVersion: 'config.kwok.x-k8s.io/v1alpha1',
      kind: 'KwokctlConfiguration',
      options: {
        runtime: 'binary',
        // kwokctl's default is every interface.
        bindAddress: '127.0.0.1',
        kubeVersion: tools.kubeVersion,
        kubeApiserverBinary: join(tools.kubeBin, 'kube-apiserver'),
        kubeControllerManagerBinary: join(tools.kubeBin, 'kube-controller-manager'),
        kubeSchedulerBinary: join(tools.kubeBin, 'kube-scheduler'),
        kubectlBinary: join(tools.kubeBin, 'kubectl'),
        kwokControllerBinary: join(tools.kwokBin, 'kwok'),
        etcdBinary: tools.etcd,
        etcdPrefix: `/registry-${name}`,
        kubeAuthorization: true,
        kubeAdmission: true,
        disableQPSLimits: true,
        // Streaming lists (watch with sendInitialEvents) need etcd's watch progress requests, which Debian's etcd
        // 3.4 lacks: the server then fails kwok's watches, and kwok sees new pods late and never completes Job pods.
        // Without the gate, clients fall back to list and watch.
        kubeFeatureGates: 'WatchList=false',
      },
    }),
  );
  const plane: ControlPlane = {
    name,
    kubeconfig: join(tools.workdir, 'clusters', name, 'kubeconfig.yaml'),
    credentials: undefined as unknown as Credentials,
    stop: () => {
      if (!running.delete(plane)) return;
      deleteCluster(tools, name);
    },
  };
  running.add(plane);
  let creating: ChildProcess | undefined;
  const stopCluster = plane.stop;
  // Stopped while kwokctl is still creating (Ctrl-C, another environment failed): end kwokctl too.
  plane.stop = () => {
    creating?.kill('SIGTERM');
    stopCluster();
  };
  try {
    await new Promise<void>((resolvePromise, reject) => {
      creating = execFile(
        kwokctl,
        ['create', 'cluster', '--name', name, '--config', configFile, '--wait', '60s', '--quiet-pull'],
        { env: kwokctlEnv(tools), timeout: 120_000 },
        (error, _stdout, stderr) =>
          error ? reject(new Error(stderr.trim().split('\n').slice(-3).join('\n') || error.message)) : resolvePromise(),
      );
    });
  } catch (error) {
    plane.stop();
    throw new Error(`kwokctl create cluster ${name} failed: ${(error as Error).message}`);
  } finally {
    creating = undefined;
  }
  plane.credentials = readKubeconfig(plane.kubeconfig);
  return plane;
}
