/** Signs in as the development user a running `make up` printed, at the provider its /config.json names. */
import { signInThroughEdge } from '../src/oidc/sign-in.ts';

export async function authorizationFor(url: string, output: () => string): Promise<string> {
  // The credentials line follows the URL line; give it a moment to arrive.
  const deadline = Date.now() + 5_000;
  let printed = /^sign in: (\S+) \/ (\S+)$/m.exec(output());
  while (!printed && Date.now() < deadline) {
    await new Promise((done) => setTimeout(done, 50));
    printed = /^sign in: (\S+) \/ (\S+)$/m.exec(output());
  }
  if (!printed?.[1] || !printed[2]) throw new Error(`make up printed no sign-in line:\n${output()}`);
  return signInThroughEdge(url, { email: printed[1], password: printed[2] });
}
