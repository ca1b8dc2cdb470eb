/** Fixed monthly charges: WAF web ACLs and rules, Route 53 zones, KMS keys, secrets, CloudWatch alarms. */
import { priced } from '../lines.ts';
import { type Pricer, prop } from './context.ts';

/** $5 per web ACL plus $1 per rule; a managed rule group referenced by the ACL counts as one rule. */
export const wafWebAcl: Pricer = ({ prices, owner, resource }) => {
  const rules = prop(resource, 'Rules');
  const count = Array.isArray(rules) ? rules.length : 0;
  return [
    priced(prices, owner, 'web ACL', 'fixed', 'waf.web-acl.month', 1),
    priced(prices, owner, `${count} rules`, 'fixed', 'waf.rule.month', count),
  ];
};

export const hostedZone: Pricer = ({ prices, owner }) => [
  priced(prices, owner, 'hosted zone', 'fixed', 'route53.hosted-zone.month', 1),
];

export const kmsKey: Pricer = ({ prices, owner }) => [
  priced(prices, owner, 'customer managed key', 'fixed', 'kms.key.month', 1),
];

export const secret: Pricer = ({ prices, owner }) => [
  priced(prices, owner, 'secret', 'fixed', 'secretsmanager.secret.month', 1),
];

/** A plain alarm watches one metric; a metric-math alarm pays for each metric it reads. */
export const alarm: Pricer = ({ prices, owner, resource }) => {
  const metrics = prop(resource, 'Metrics');
  const count = Array.isArray(metrics)
    ? metrics.filter((m) => m && typeof m === 'object' && 'MetricStat' in m).length
    : 1;
  return [priced(prices, owner, `alarm on ${count} metric(s)`, 'fixed', 'cloudwatch.alarm.metric-month', count)];
};

export const compositeAlarm: Pricer = ({ prices, owner }) => [
  priced(prices, owner, 'composite alarm', 'fixed', 'cloudwatch.composite-alarm.month', 1),
];
