/**
 * Where the Gatekeeper policies' Rego lives: one folder per policy (`src.rego` and its `opa test` fixtures) and
 * `lib/`. The render embeds these files in the ConstraintTemplates and the checks run `opa test` over the same
 * folder, so both read its place from here.
 */
import { join } from 'node:path';
import { REPO_ROOT } from './layout.ts';

export const POLICIES_DIR = join(REPO_ROOT, 'deploy', 'policies');
