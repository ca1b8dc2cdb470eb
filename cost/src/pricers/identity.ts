/** Cognito user pools: billed per monthly active user by the pool's feature plan (config `usage.monthlyActiveUsers`). */
import { priced } from '../lines.ts';
import { type Pricer, stringProp, UnpricedError } from './context.ts';

const PLANS: Readonly<Record<string, string>> = { LITE: 'lite', ESSENTIALS: 'essentials', PLUS: 'plus' };

export const cognitoUserPool: Pricer = ({ prices, owner, resource, usage }) => {
  if (!usage) throw new UnpricedError('no usage assumptions for this account (monthly active users)');
  // CloudFormation's default plan for a new pool is Essentials.
  const tier = stringProp(resource, 'UserPoolTier') ?? 'ESSENTIALS';
  const plan = PLANS[tier];
  if (!plan) throw new UnpricedError(`UserPoolTier ${tier} is not priced`);
  const free = plan === 'plus' ? 0 : prices.allowance('cognito.free-mau');
  const billed = Math.max(0, usage.monthlyActiveUsers - free);
  const allowance = free > 0 ? `, first ${free} free` : '';
  return [
    priced(
      prices,
      owner,
      `${usage.monthlyActiveUsers} MAU on the ${plan} plan${allowance}`,
      'usage',
      `cognito.${plan}.mau`,
      billed,
    ),
  ];
};
