/**
 * The local observability side of `make up OBSERVABILITY=1`: Debian's Prometheus on 127.0.0.1, scraping the local
 * API's /metrics every 15 s and evaluating the same alerting rule files AMP gets (infra/alert-rules/<env>/, written
 * from the CDK rule source). The scrape adds `namespace="<the env's API namespace>"` as the collector's relabelling
 * does in the cluster, so the rules and the generated dashboards' queries run unchanged.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { stringify } from 'yaml';

/** Debian's package (`make deps-prometheus`); a different binary can be named with PROMETHEUS_BIN. */
export const DEFAULT_PROMETHEUS_BIN = '/usr/bin/prometheus';
/** The environment whose rule files and dashboards the local system is checked against: the smallest. */
export const LOCAL_ENVIRONMENT = 'dev';
export const SCRAPE_INTERVAL_SECONDS = 15;

export class ObservabilitySettingsError extends Error {
  override name = 'ObservabilitySettingsError';
}

/** `OBSERVABILITY`: unset or 0 off (the default), 1 on; anything else is a one-line error naming it. */
export function observabilityEnabled(env: NodeJS.ProcessEnv): boolean {
  const raw = env.OBSERVABILITY?.trim() ?? '';
  if (raw === '' || raw === '0') return false;
  if (raw === '1') return true;
  throw new ObservabilitySettingsError(`OBSERVABILITY must be 0 or 1, got "${raw}"`);
}

export interface PrometheusConfigInput {
  /** host:port of the API's listener (loopback). */
  apiTarget: string;
  /** Label every scraped series carries, as in the cluster. */
  namespace: string;
  /** Absolute paths of the rule files to evaluate. */
  ruleFiles: string[];
}

/** prometheus.yml for the local system (plain data, so a test can read it). */
export function prometheusConfig(input: PrometheusConfigInput): Record<string, unknown> {
  return {
    global: { scrape_interval: `${SCRAPE_INTERVAL_SECONDS}s`, evaluation_interval: `${SCRAPE_INTERVAL_SECONDS}s` },
    rule_files: input.ruleFiles,
    scrape_configs: [
      {
        job_name: 'api',
        static_configs: [{ targets: [input.apiTarget], labels: { namespace: input.namespace, pod: 'local' } }],
      },
    ],
  };
}

/** Writes the config under `dir` and returns the command line that runs Prometheus on 127.0.0.1:`port`. */
export function prometheusCommand(
  dir: string,
  port: number,
  input: PrometheusConfigInput,
  binary = DEFAULT_PROMETHEUS_BIN,
): { command: string; args: string[] } {
  mkdirSync(join(dir, 'data'), { recursive: true });
  const configFile = join(dir, 'prometheus.yml');
  writeFileSync(configFile, stringify(prometheusConfig(input), { lineWidth: 0 }));
  return {
    command: binary,
    args: [
      `--config.file=${configFile}`,
      `--storage.tsdb.path=${join(dir, 'data')}`,
      `--web.listen-address=127.0.0.1:${port}`,
      '--storage.tsdb.retention.time=2d',
      // Its start-up chatter would drown the API's lines in make up's output; warnings and errors still show.
      '--log.level=warn',
    ],
  };
}
