/**
 * What every bucket the log-archive account receives logs in has in common: SSE-KMS with a bucket key, no public
 * access, no ACLs (BucketOwnerEnforced still accepts the bucket-owner-full-control ACL the log services send), TLS
 * 1.2 only, versioned, its own access logs in the access-logs bucket under its name, and kept when the stack goes.
 */
import { RemovalPolicy } from 'aws-cdk-lib';
import type * as kms from 'aws-cdk-lib/aws-kms';
import * as s3 from 'aws-cdk-lib/aws-s3';

export interface ArchiveBucketInputs {
  bucketName: string;
  key: kms.IKey;
  accessLogsBucket: s3.IBucket;
}

export function archiveBucketProps(inputs: ArchiveBucketInputs): s3.BucketProps {
  return {
    bucketName: inputs.bucketName,
    encryption: s3.BucketEncryption.KMS,
    encryptionKey: inputs.key,
    bucketKeyEnabled: true,
    blockPublicAccess: s3.BlockPublicAccess.BLOCK_ALL,
    objectOwnership: s3.ObjectOwnership.BUCKET_OWNER_ENFORCED,
    enforceSSL: true,
    minimumTLSVersion: 1.2,
    versioned: true,
    serverAccessLogsBucket: inputs.accessLogsBucket,
    serverAccessLogsPrefix: `${inputs.bucketName}/`,
    removalPolicy: RemovalPolicy.RETAIN,
  };
}
