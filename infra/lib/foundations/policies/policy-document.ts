/** The JSON shape of an IAM policy document, as it goes into SCPs, key policies and bucket policies. */
export interface PolicyStatementJson {
  Sid: string;
  Effect: 'Allow' | 'Deny';
  Principal?: unknown;
  Action?: string | string[];
  NotAction?: string | string[];
  Resource?: string | string[];
  NotResource?: string | string[];
  Condition?: Record<string, Record<string, string | string[]>>;
}

export interface PolicyDocumentJson {
  Version: '2012-10-17';
  Statement: PolicyStatementJson[];
}

export function policyDocument(statements: PolicyStatementJson[]): PolicyDocumentJson {
  return { Version: '2012-10-17', Statement: statements };
}
