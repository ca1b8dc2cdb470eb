/** The per-account security services, priced from each account's usage whether or not a stack deploys there. */
import type { AccountContext } from './accounts.ts';
import { type CostLine, type LineOwner, priced } from './lines.ts';
import type { PriceTable } from './price-table.ts';

/** GuardDuty, Security Hub and Config are enabled organization-wide: every account pays them, templates or not. */
export function accountServiceLines(account: AccountContext, prices: PriceTable): CostLine[] {
  const services = account.usage.accountServices;
  const owner = (type: string): LineOwner => ({
    account: account.label,
    region: account.primaryRegion,
    stack: '(account services)',
    logicalId: '-',
    type,
  });
  return [
    priced(
      prices,
      owner('GuardDuty'),
      'GuardDuty CloudTrail events',
      'usage',
      'guardduty.events.million',
      services.guardDutyEventsMillions,
    ),
    priced(
      prices,
      owner('GuardDuty'),
      'GuardDuty flow/DNS logs',
      'usage',
      'guardduty.logs.gb',
      services.guardDutyLogGB,
    ),
    priced(
      prices,
      owner('Security Hub'),
      'Security Hub checks',
      'usage',
      'securityhub.check',
      services.securityHubChecks,
    ),
    priced(prices, owner('AWS Config'), 'Config items recorded', 'usage', 'config.item', services.configItems),
    priced(
      prices,
      owner('AWS Config'),
      'Config rule evaluations',
      'usage',
      'config.rule-evaluation',
      services.configRuleEvaluations,
    ),
  ];
}
