/**
 * One IAM role bound to one Kubernetes service account through EKS Pod Identity (ADR 0022): the role trusts only
 * the Pod Identity service, and the association names the cluster, namespace and service account.
 */
import * as eks from 'aws-cdk-lib/aws-eks-v2';
import * as iam from 'aws-cdk-lib/aws-iam';
import { Construct } from 'constructs';

export interface PodIdentityRoleProps {
  clusterName: string;
  namespace: string;
  serviceAccount: string;
  /** What the workload does, for the role's description. */
  description: string;
  /** The role's only permissions. */
  statements: iam.PolicyStatement[];
}

export class PodIdentityRole extends Construct {
  readonly role: iam.Role;
  readonly association: eks.CfnPodIdentityAssociation;

  constructor(scope: Construct, id: string, props: PodIdentityRoleProps) {
    super(scope, id);
    this.role = new iam.Role(this, 'Role', {
      description: `${props.description} (${props.namespace}/${props.serviceAccount})`,
      assumedBy: new iam.ServicePrincipal('pods.eks.amazonaws.com'),
    });
    // Pod Identity passes session tags (cluster, namespace, service account); the trust must allow tagging.
    this.role.assumeRolePolicy?.addStatements(
      new iam.PolicyStatement({
        actions: ['sts:TagSession'],
        principals: [new iam.ServicePrincipal('pods.eks.amazonaws.com')],
      }),
    );
    new iam.Policy(this, 'Policy', { roles: [this.role], statements: props.statements });
    this.association = new eks.CfnPodIdentityAssociation(this, 'Association', {
      clusterName: props.clusterName,
      namespace: props.namespace,
      serviceAccount: props.serviceAccount,
      roleArn: this.role.roleArn,
    });
  }
}
