/**
 * The SPA's app client at the local provider (the role of Cognito's app client id). Its own module, so code that
 * only needs the id does not load the provider library (which warns on import under Node 20).
 */
export const SPA_CLIENT_ID = 'innovate-spa';
