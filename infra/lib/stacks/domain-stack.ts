/**
 * domain: what the edge (CloudFront) and the cluster's ingress (ALB) share, deployed before both: the environment's
 * public hosted zone, the ALB origin's certificate, and the origin-verify secret. Stateful (the zone's name servers
 * are delegated from the apex; replacing it breaks resolution), hence termination-protected.
 */
import { RemovalPolicy, Stack } from 'aws-cdk-lib';
import * as acm from 'aws-cdk-lib/aws-certificatemanager';
import * as route53 from 'aws-cdk-lib/aws-route53';
import type { Construct } from 'constructs';
import { OriginVerifySecret } from '../constructs/origin-verify-secret.ts';
import type { WorkloadStackProps } from '../workload-stack-props.ts';

export class DomainStack extends Stack {
  readonly zone: route53.PublicHostedZone;
  readonly originCertificate: acm.Certificate;
  readonly originVerify: OriginVerifySecret;

  constructor(scope: Construct, id: string, props: WorkloadStackProps) {
    super(scope, id, { ...props, terminationProtection: true });
    const { dns, names } = props.environment;
    this.zone = new route53.PublicHostedZone(this, 'Zone', {
      zoneName: dns.zoneName,
      comment: `Innovate ${props.environment.name} public zone`,
    });
    this.zone.applyRemovalPolicy(RemovalPolicy.RETAIN);

    // The ALB (made by the Load Balancer Controller) serves the origin host; the controller discovers this
    // certificate by host name, so no ARN is copied into the Ingress.
    this.originCertificate = new acm.Certificate(this, 'OriginCertificate', {
      domainName: dns.originHost,
      validation: acm.CertificateValidation.fromDns(this.zone),
    });

    this.originVerify = new OriginVerifySecret(this, 'OriginVerify', { secretName: names.originVerifySecretName });
  }
}
