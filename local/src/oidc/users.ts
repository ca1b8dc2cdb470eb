/**
 * The local provider's accounts: a development user (the one `make up` prints) and a second user that tests use to
 * show one user cannot see another's data. Kept in a JSON file in the data folder (`.local/`, never in git) with
 * generated passwords, so they survive restarts and nobody shares a password that sits in the repository.
 */
import { createHash, randomBytes, randomUUID, timingSafeEqual } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';

export interface LocalUser {
  /** Stable subject id: the `sub` claim, the API's owner of the user's projects. */
  sub: string;
  email: string;
  password: string;
}

export const DEVELOPER_EMAIL = 'developer@innovate.local';
export const SECOND_USER_EMAIL = 'second-user@innovate.local';

export class UsersFileError extends Error {
  override name = 'UsersFileError';
}

function newUser(email: string): LocalUser {
  // 18 random bytes, base64url: 24 characters, nothing to escape on a command line.
  return { sub: randomUUID(), email, password: randomBytes(18).toString('base64url') };
}

/** Reads the users file, or creates it (mode 0600) with the two users when it does not exist. */
export function loadOrCreateUsers(path: string): LocalUser[] {
  if (!existsSync(path)) {
    const users = [newUser(DEVELOPER_EMAIL), newUser(SECOND_USER_EMAIL)];
    mkdirSync(dirname(path), { recursive: true });
    writeFileSync(path, `${JSON.stringify({ users }, null, 2)}\n`, { mode: 0o600 });
    return users;
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(readFileSync(path, 'utf8'));
  } catch (error) {
    throw new UsersFileError(`${path}: not valid JSON (${(error as Error).message}); delete it to start afresh`);
  }
  const users = (parsed as { users?: unknown }).users;
  if (!Array.isArray(users) || users.length === 0) {
    throw new UsersFileError(`${path}: "users" must be a non-empty list; delete the file to start afresh`);
  }
  return users.map((user, index) => {
    for (const field of ['sub', 'email', 'password'] as const) {
      if (typeof user?.[field] !== 'string' || user[field] === '') {
        throw new UsersFileError(`${path}: users[${index}].${field} must be a non-empty string`);
      }
    }
    return { sub: user.sub, email: user.email, password: user.password } as LocalUser;
  });
}

const digest = (value: string) => createHash('sha256').update(value).digest();

/** The user with this email and password, or undefined; the password comparison takes constant time. */
export function authenticate(users: readonly LocalUser[], email: string, password: string): LocalUser | undefined {
  const user = users.find((candidate) => candidate.email.toLowerCase() === email.trim().toLowerCase());
  // Compare even when the email is unknown, so timing does not tell which emails exist.
  const expected = digest(user?.password ?? randomBytes(18).toString('base64url'));
  const matches = timingSafeEqual(expected, digest(password));
  return user && matches ? user : undefined;
}
