/**
 * The port every payment rail implements. `local` (the built-in bank rail simulator) is the default;
 * `stripe` (Stripe Connect) is chosen when STRIPE_SECRET_KEY is set. Only providers/stripe* imports `stripe`.
 */
export interface OnboardingAccount {
  id: string;
  email: string;
  country: string;
  providerAccountId: string | null;
}

export interface OnboardingLink {
  url: string;
  providerAccountId: string | null;
  /** True when the provider verified the account on the spot (local rail with LOCAL_AUTO_VERIFY=true). */
  verified: boolean;
  expiresAt: Date;
}

export interface PaymentProvider {
  readonly name: 'local' | 'stripe';
  createOnboardingLink(account: OnboardingAccount): Promise<OnboardingLink>;
}

export const PAYMENT_PROVIDER = Symbol('PAYMENT_PROVIDER');
