/** CloudFront requests, data out and functions, and the requests the web ACLs inspect (config `usage.requestsMillions`, `usage.cdnGB`). */
import type { UsageRule } from './rule.ts';

const isRegional = (scope: unknown) => scope === 'REGIONAL';

export const edgeRules: readonly UsageRule[] = [
  {
    id: 'cloudfront-requests',
    owner: 'AWS::CloudFront::Distribution',
    fields: ['requestsMillions'],
    appliesWhen: (ctx) => ctx.has('AWS::CloudFront::Distribution'),
    item: 'CloudFront HTTPS requests',
    price: 'cloudfront.https-requests.10k',
    unit: '10,000 HTTPS requests',
    quantity: (ctx) => ctx.usage.requestsMillions * 100,
  },
  {
    id: 'cloudfront-data-out',
    owner: 'AWS::CloudFront::Distribution',
    fields: ['cdnGB'],
    appliesWhen: (ctx) => ctx.has('AWS::CloudFront::Distribution'),
    item: 'CloudFront data out',
    price: 'cloudfront.data-out.gb',
    unit: 'GB to viewers',
    quantity: (ctx) => ctx.usage.cdnGB,
  },
  {
    id: 'cloudfront-functions',
    owner: 'AWS::CloudFront::Function',
    fields: ['requestsMillions'],
    appliesWhen: (ctx) => ctx.has('AWS::CloudFront::Function'),
    item: 'CloudFront Functions invocations',
    price: 'cloudfront.functions.million',
    unit: 'million invocations',
    // Upper bound: as if the function ran on every viewer request.
    quantity: (ctx) => ctx.usage.requestsMillions,
  },
  {
    // A CloudFront-scope web ACL inspects every request; a regional one (on the ALB) only those to /api/*.
    id: 'waf-requests',
    owner: 'AWS::WAFv2::WebACL',
    fields: ['requestsMillions'],
    appliesWhen: (ctx) => ctx.has('AWS::WAFv2::WebACL'),
    perResource: (ctx) => ctx.resources.filter((r) => r.resource.Type === 'AWS::WAFv2::WebACL'),
    item: (ctx) =>
      `WAF requests inspected (${isRegional(ctx.resource?.resource.Properties?.Scope) ? 'regional, /api/* share' : 'CloudFront, all requests'})`,
    price: 'waf.requests.million',
    unit: 'million requests',
    quantity: (ctx) =>
      isRegional(ctx.resource?.resource.Properties?.Scope)
        ? ctx.usage.requestsMillions * ctx.usage.apiRequestShare
        : ctx.usage.requestsMillions,
  },
];
