/**
 * SPA fallback as a CloudFront Function on the S3 behaviours: a path without a file extension is a client-side
 * route, so it is served `/index.html`. A distribution-wide custom error response would do the same but would also
 * turn the API's JSON 404s into HTML; this function never runs for `/api/*`.
 */
import * as cloudfront from 'aws-cdk-lib/aws-cloudfront';
import { Construct } from 'constructs';

export const SPA_FALLBACK_CODE = `function handler(event) {
  var request = event.request;
  var last = request.uri.split('/').pop();
  if (last.indexOf('.') === -1) {
    request.uri = '/index.html';
  }
  return request;
}
`;

export class SpaFallbackFunction extends Construct {
  readonly function: cloudfront.Function;

  constructor(scope: Construct, id: string, props: { name: string }) {
    super(scope, id);
    this.function = new cloudfront.Function(this, 'Function', {
      functionName: props.name,
      comment: 'Serve /index.html for client-side routes',
      runtime: cloudfront.FunctionRuntime.JS_2_0,
      code: cloudfront.FunctionCode.fromInline(SPA_FALLBACK_CODE),
    });
  }
}
