/** The four cost-allocation tags of requirement COST-1 on every taggable resource below `scope`. */
import type { CostTags } from '@innovate/config';
import { Tags } from 'aws-cdk-lib';
import type { IConstruct } from 'constructs';

export function applyCostTags(scope: IConstruct, tags: CostTags): void {
  for (const [key, value] of Object.entries(tags)) {
    Tags.of(scope).add(key, value);
  }
}
