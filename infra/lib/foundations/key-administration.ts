/**
 * The key-policy statement every foundations key starts with: the account may administer the key (rotate, tag,
 * change its policy, schedule deletion) but not use it; each use is granted to a named service or account, by
 * condition, in the key's own policy. This is what keeps an account administrator from reading the logs.
 */
import * as iam from 'aws-cdk-lib/aws-iam';

export const KEY_ADMINISTRATION_SID = 'AccountAdministersKeyButCannotUseIt';

const KEY_ADMIN_ACTIONS = [
  'kms:Create*',
  'kms:Describe*',
  'kms:Enable*',
  'kms:List*',
  'kms:Put*',
  'kms:Update*',
  'kms:Revoke*',
  'kms:Disable*',
  'kms:Get*',
  'kms:Delete*',
  'kms:TagResource',
  'kms:UntagResource',
  'kms:ScheduleKeyDeletion',
  'kms:CancelKeyDeletion',
];

export function keyAdministration(account: string): iam.PolicyStatement {
  return new iam.PolicyStatement({
    sid: KEY_ADMINISTRATION_SID,
    principals: [new iam.AccountPrincipal(account)],
    actions: KEY_ADMIN_ACTIONS,
    resources: ['*'],
  });
}
