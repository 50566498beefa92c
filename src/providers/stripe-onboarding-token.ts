import { signOnboardingToken, verifyOnboardingToken } from './local-onboarding-token.js';

/**
 * Refresh links for Stripe onboarding carry a signed account id. The key is derived apart from the local
 * rail's, so a refresh token can never be replayed on the local verification page.
 */
function refreshKey(adminApiKey: string): string {
  return `stripe-onboarding-refresh:${adminApiKey}`;
}

export function signStripeRefreshToken(adminApiKey: string, accountId: string, expiresAt: Date): string {
  return signOnboardingToken(refreshKey(adminApiKey), accountId, expiresAt);
}

export function verifyStripeRefreshToken(adminApiKey: string, token: string): string | null {
  return verifyOnboardingToken(refreshKey(adminApiKey), token);
}
