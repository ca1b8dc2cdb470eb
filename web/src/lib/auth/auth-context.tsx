/** Hands the session to the header (who is signed in, sign-out) without passing it through every route. */
import { createContext, type ReactNode, useContext } from 'react';
import type { Auth } from './auth';

const AuthContext = createContext<Auth | null>(null);

export function AuthProvider({ auth, children }: { auth: Auth; children: ReactNode }) {
  return <AuthContext value={auth}>{children}</AuthContext>;
}

/** The session, or null where none is provided (component tests render without one). */
export function useAuth(): Auth | null {
  return useContext(AuthContext);
}
