/**
 * Every account of the organization, by the key the config uses for it, with the OU it belongs in.
 *
 * The management (`foundations`), `security` and `logArchive` accounts come from organization.yaml, each environment's account from
 * its own file, and `network`/`analytics` only when organization.yaml lists them. Cross-file checks that zod cannot
 * make (an assignment naming an account that does not exist) fail here, naming the field.
 */
import { type AccountKey, ConfigError, type PlatformConfig } from '@innovate/config';

export interface OrgAccount {
  key: AccountKey;
  id: string;
  email: string;
  /** The OU the account lives in; undefined for the management account (it lives at the root). */
  ou: string | undefined;
}

export interface AccountDirectory {
  management: OrgAccount;
  security: OrgAccount;
  /** Holds the organization trail's archive, Config delivery and the access logs (a member account, under SCPs). */
  logArchive: OrgAccount;
  /** Every account except the management account, in a stable order. */
  members: OrgAccount[];
  /** Every account, management first. */
  all: OrgAccount[];
  get(key: AccountKey): OrgAccount;
}

const FIELD = 'organization.yaml: foundations';

export function accountDirectory(config: PlatformConfig): AccountDirectory {
  const org = config.organization;
  const f = org.foundations;
  const sources: Array<[AccountKey, { id: string; email: string } | undefined]> = [
    ['foundations', org.accounts.foundations],
    ['security', org.accounts.security],
    ['logArchive', org.accounts.logArchive],
    ...config.environments.map((env): [AccountKey, { id: string; email: string }] => [env.name, env.account]),
    ['network', f.optionalAccounts.network],
    ['analytics', f.optionalAccounts.analytics],
  ];
  const all: OrgAccount[] = [];
  for (const [key, account] of sources) {
    if (account === undefined) continue;
    const ou = key === 'foundations' ? undefined : f.accountOus[key];
    if (key !== 'foundations' && ou === undefined) {
      throw new ConfigError(`${FIELD}.accountOus.${key}: missing (every member account needs an OU)`);
    }
    all.push({ key, id: account.id, email: account.email, ou });
  }
  const ids = new Map<string, AccountKey>();
  for (const account of all) {
    const other = ids.get(account.id);
    if (other) throw new ConfigError(`account id ${account.id} of "${account.key}" is already used by "${other}"`);
    ids.set(account.id, account.key);
  }
  const get = (key: AccountKey): OrgAccount => {
    const found = all.find((account) => account.key === key);
    if (!found) throw new ConfigError(`${FIELD}: account "${key}" is not configured`);
    return found;
  };
  f.identityCenter.assignments.forEach((assignment, index) => {
    assignment.accounts.forEach((key, position) => {
      if (!all.some((account) => account.key === key)) {
        throw new ConfigError(
          `${FIELD}.identityCenter.assignments.${index}.accounts.${position}: account "${key}" is not configured`,
        );
      }
    });
  });
  return {
    management: get('foundations'),
    security: get('security'),
    logArchive: get('logArchive'),
    members: all.filter((account) => account.key !== 'foundations'),
    all,
    get,
  };
}
