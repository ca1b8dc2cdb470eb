/** Reading a cloud assembly: stacks with account and region from the manifest, nested assemblies, clear errors. */
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { readSynth } from '../src/synth.ts';

function assembly(
  artifacts: Record<string, unknown>,
  templates: Record<string, unknown> = {},
  dir = mkdtempSync(join(tmpdir(), 'cost-synth-')),
) {
  writeFileSync(join(dir, 'manifest.json'), JSON.stringify({ version: '48.0.0', artifacts }));
  for (const [file, template] of Object.entries(templates)) writeFileSync(join(dir, file), JSON.stringify(template));
  return dir;
}

const stack = (environment: string, templateFile: string, stackName?: string) => ({
  type: 'aws:cloudformation:stack',
  environment,
  properties: { templateFile, ...(stackName ? { stackName } : {}) },
});

describe('readSynth', () => {
  it('reads every stack with its account and region, following nested assemblies (CDK Stages)', () => {
    const dir = assembly(
      {
        Tree: { type: 'cdk:tree' },
        'app-a': stack('aws://100000000011/us-east-1', 'a.template.json', 'innovate-dev-a'),
        Stage: { type: 'cdk:cloud-assembly', properties: { directoryName: 'assembly-Stage' } },
      },
      { 'a.template.json': { Resources: { K: { Type: 'AWS::KMS::Key' } } } },
    );
    const nested = join(dir, 'assembly-Stage');
    mkdirSync(nested);
    assembly(
      { b: stack('aws://100000000013/us-west-2', 'b.template.json') },
      { 'b.template.json': { Resources: {} } },
      nested,
    );
    expect(readSynth(dir).map((s) => [s.name, s.account, s.region])).toEqual([
      ['b', '100000000013', 'us-west-2'],
      ['innovate-dev-a', '100000000011', 'us-east-1'],
    ]);
  });

  it('refuses an environment-agnostic stack, naming it', () => {
    const dir = assembly({ loose: stack('aws://unknown-account/unknown-region', 'x.template.json') });
    expect(() => readSynth(dir)).toThrow(/stack loose: environment "aws:\/\/unknown-account\/unknown-region" is not/);
  });

  it('says how to get a synth when there is none', () => {
    expect(() => readSynth('/nonexistent')).toThrow(/manifest\.json not found: run `make synth` first/);
  });
});
