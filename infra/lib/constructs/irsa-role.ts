/**
 * One IAM role bound to one Kubernetes service account through IRSA (web identity from the cluster's IAM OIDC
 * provider). Only for a workload whose AWS SDK use cannot take EKS Pod Identity credentials (ADR 0022 prefers Pod
 * Identity): Ratify, whose ECR auth provider refuses to run without AWS_ROLE_ARN and AWS_WEB_IDENTITY_TOKEN_FILE
 * (deploy ADR 0066). The role has a fixed name from config, which the cdk8s side writes into the service account's
 * `eks.amazonaws.com/role-arn` annotation, and it trusts exactly that namespace/service account.
 */
import { CfnJson } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import { Construct } from 'constructs';

export interface IrsaRoleProps {
  /** The cluster's IAM OIDC provider. */
  oidcProvider: iam.IOpenIdConnectProvider;
  namespace: string;
  serviceAccount: string;
  /** Fixed role name (config `names`), so the service account annotation needs no cross-stack value. */
  roleName: string;
  /** What the workload does, for the role's description. */
  description: string;
  /** The role's only permissions. */
  statements: iam.PolicyStatement[];
}

export class IrsaRole extends Construct {
  readonly role: iam.Role;

  constructor(scope: Construct, id: string, props: IrsaRoleProps) {
    super(scope, id);
    const issuer = props.oidcProvider.openIdConnectProviderIssuer;
    // The issuer is a token: condition keys built from it must be resolved by CloudFormation (CfnJson).
    const conditions = new CfnJson(this, 'TrustConditions', {
      value: {
        [`${issuer}:sub`]: `system:serviceaccount:${props.namespace}:${props.serviceAccount}`,
        [`${issuer}:aud`]: 'sts.amazonaws.com',
      },
    });
    this.role = new iam.Role(this, 'Role', {
      roleName: props.roleName,
      description: `${props.description} (${props.namespace}/${props.serviceAccount}, IRSA)`,
      assumedBy: new iam.OpenIdConnectPrincipal(props.oidcProvider, { StringEquals: conditions }),
    });
    new iam.Policy(this, 'Policy', { roles: [this.role], statements: props.statements });
  }
}
