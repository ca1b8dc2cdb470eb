/**
 * Session Manager into the cluster's system nodes, recorded: the nodes' role gets the SSM agent's policy, every
 * interactive session is encrypted with a key of its own and streamed to an encrypted log group (the account's
 * session preferences document), and a Port document tunnels a local port to the cluster's private API endpoint
 * and nowhere else. The VPC already has the ssm, ssmmessages and ec2messages endpoints (vpc-endpoints.ts), so the
 * agent never leaves the VPC.
 *
 * Who may start which session is decided in Identity Center (infra/lib/foundations/permission-set-definitions.ts):
 * cluster admins a shell on system nodes and the tunnel, devops the tunnel only.
 */
import { Fn, RemovalPolicy } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as ssm from 'aws-cdk-lib/aws-ssm';
import { Construct } from 'constructs';
import { LogsKey } from './logs-key.ts';

/**
 * Session Manager reads an account's preferences from the Session document of this fixed name (the console creates
 * it on first save; here CloudFormation owns it).
 */
export const SESSION_PREFERENCES_DOCUMENT = 'SSM-SessionManagerRunShell';
/** An idle session ends after this many minutes; no session lasts longer than the maximum. */
export const SESSION_IDLE_MINUTES = 20;
export const SESSION_MAX_MINUTES = 60;

export interface SessionManagerAccessProps {
  /** Role of the managed system node group (the only nodes an admin's session may target). */
  systemNodeRole: iam.IRole;
  /** The cluster's API endpoint URL (`https://<id>.<suffix>.<region>.eks.amazonaws.com`), a token. */
  clusterEndpoint: string;
  /** Encrypted log group of the sessions (config `names.sessionLogGroupName`). */
  logGroupName: string;
  /** Port document that tunnels to the endpoint (config `names.clusterEndpointTunnelDocumentName`). */
  tunnelDocumentName: string;
  /** Alias of the session key; the cluster-admin permission set may get data keys of `alias/<app>-*-ssm-sessions`. */
  keyAlias: string;
  logRetentionDays: number;
}

export class SessionManagerAccess extends Construct {
  readonly sessionKey: kms.Key;
  readonly logGroup: logs.LogGroup;
  readonly preferences: ssm.CfnDocument;
  readonly tunnel: ssm.CfnDocument;

  constructor(scope: Construct, id: string, props: SessionManagerAccessProps) {
    super(scope, id);
    props.systemNodeRole.addManagedPolicy(iam.ManagedPolicy.fromAwsManagedPolicyName('AmazonSSMManagedInstanceCore'));

    this.sessionKey = new kms.Key(this, 'SessionKey', {
      description: 'Encrypts Session Manager session data between the client and the node',
      alias: props.keyAlias,
      enableKeyRotation: true,
      removalPolicy: RemovalPolicy.RETAIN,
    });
    // The agent on the node decrypts what the client encrypted with a data key of this key.
    this.sessionKey.grantDecrypt(props.systemNodeRole);

    const logsKey = new LogsKey(this, 'LogsKey', { purpose: 'Session Manager session transcripts' }).key;
    this.logGroup = new logs.LogGroup(this, 'Sessions', {
      logGroupName: props.logGroupName,
      retention: props.logRetentionDays as logs.RetentionDays,
      encryptionKey: logsKey,
      removalPolicy: RemovalPolicy.RETAIN,
    });
    // The agent streams the transcript itself, and checks the group is encrypted before it starts a session.
    props.systemNodeRole.addToPrincipalPolicy(
      new iam.PolicyStatement({
        sid: 'StreamSessionTranscripts',
        actions: ['logs:CreateLogStream', 'logs:PutLogEvents', 'logs:DescribeLogStreams'],
        resources: [this.logGroup.logGroupArn, `${this.logGroup.logGroupArn}:log-stream:*`],
      }),
    );
    props.systemNodeRole.addToPrincipalPolicy(
      new iam.PolicyStatement({
        sid: 'CheckTranscriptEncryption',
        actions: ['logs:DescribeLogGroups'],
        resources: ['*'],
      }),
    );

    this.preferences = new ssm.CfnDocument(this, 'Preferences', {
      name: SESSION_PREFERENCES_DOCUMENT,
      documentType: 'Session',
      updateMethod: 'NewVersion',
      content: {
        schemaVersion: '1.0',
        description: 'Session Manager preferences: encrypted sessions, transcripts to the encrypted log group',
        sessionType: 'Standard_Stream',
        inputs: {
          s3BucketName: '',
          s3KeyPrefix: '',
          s3EncryptionEnabled: true,
          cloudWatchLogGroupName: this.logGroup.logGroupName,
          cloudWatchEncryptionEnabled: true,
          cloudWatchStreamingEnabled: true,
          kmsKeyId: this.sessionKey.keyId,
          runAsEnabled: false,
          runAsDefaultUser: '',
          idleSessionTimeout: String(SESSION_IDLE_MINUTES),
          maxSessionDuration: String(SESSION_MAX_MINUTES),
          shellProfile: { windows: '', linux: '' },
        },
      },
    });

    // Host fixed to the endpoint: a tunnel through a node can reach the API server, never IMDS or the database.
    const endpointHost = Fn.select(2, Fn.split('/', props.clusterEndpoint));
    this.tunnel = new ssm.CfnDocument(this, 'EndpointTunnel', {
      name: props.tunnelDocumentName,
      documentType: 'Session',
      updateMethod: 'NewVersion',
      content: {
        schemaVersion: '1.0',
        description: 'Forward a local port to the EKS cluster private API endpoint (443) through a system node',
        sessionType: 'Port',
        parameters: {
          localPortNumber: {
            type: 'String',
            description: 'Local port to listen on',
            allowedPattern: '^([1-9][0-9]{0,4})$',
            default: '8443',
          },
        },
        properties: {
          type: 'LocalPortForwarding',
          host: endpointHost,
          portNumber: '443',
          localPortNumber: '{{ localPortNumber }}',
        },
      },
    });
  }
}
