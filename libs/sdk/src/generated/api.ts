// Generated from openapi.json by libs/sdk/src/generate.ts (`npm run openapi`). Do not edit.
import type { RequestOptions, Transport } from '../transport.js';

export type AccountListView = { "data": Array<AdminAccountView>; "has_more": boolean; "object": "list"; };
export type AccountView = { "capabilities": Array<"receive" | "pay">; "charges_enabled": boolean; "country": string; "created": number; "default_currency": string; "email": string; "id": string; "metadata": { [key: string]: string; }; "name": string; "object": "account"; "payouts_enabled": boolean; "provider": "local" | "stripe"; "requirements": RequirementsView; "status": "active" | "suspended"; "verification_status": "unverified" | "pending" | "verified" | "rejected"; };
export type AdjustmentAccountRequest = { "owner": string; "purpose": "wallet" | "pending" | "available" | "reserve" | "payout_in_transit" | "fees" | "rounding" | "compensation" | "budget" | "provider_clearing" | "bank"; };
export type AdjustmentLegRequest = { "amount": string; "credit": AdjustmentAccountRequest; "debit": AdjustmentAccountRequest; };
export type AdminAccountView = { "capabilities": Array<"receive" | "pay">; "charges_enabled": boolean; "country": string; "created": number; "default_currency": string; "email": string; "fee_bps": number | null; "fee_fixed": string | null; "id": string; "metadata": { [key: string]: string; }; "name": string; "object": "account"; "payouts_enabled": boolean; "provider": "local" | "stripe"; "provider_account_id": string | null; "requirements": RequirementsView; "status": "active" | "suspended"; "verification_status": "unverified" | "pending" | "verified" | "rejected"; };
export type AdminProgramListView = { "data": Array<AdminProgramView>; "has_more": boolean; "object": "list"; };
export type AdminProgramView = { "auto_enroll": boolean; "budget": BudgetView; "created": number; "currency": string; "description": string | null; "eligibility": EligibilityView; "ends_at": number | null; "fee_discount": FeeDiscountView | null; "id": string; "metadata": { [key: string]: string; }; "name": string; "object": "incentive_program"; "signup_credit": SignupCreditView | null; "starts_at": number; "status": "draft" | "active" | "paused" | "ended"; "token_subsidy": TokenSubsidyView | null; "type": "token_subsidy" | "fee_discount" | "signup_credit"; };
export type AgentListView = { "data": Array<AgentView>; "has_more": boolean; "object": "list"; };
export type AgentView = { "created": number; "framework": string | null; "id": string; "metadata": { [key: string]: string; }; "name": string; "object": "agent"; "public_key": string | null; "vendor": string | null; };
export type ApiKeyListView = { "data": Array<ApiKeyView>; "has_more": boolean; "object": "list"; };
export type ApiKeyView = { "created": number; "expires_at": number | null; "id": string; "last4": string; "livemode": boolean; "name": string; "object": "api_key"; "prefix": string; "revoked": boolean; "scopes": Array<"full" | "usage:write" | "payments:write" | "read_only">; };
export type ApiKeyWithSecretView = { "created": number; "expires_at": number | null; "id": string; "last4": string; "livemode": boolean; "name": string; "object": "api_key"; "prefix": string; "revoked": boolean; "scopes": Array<"full" | "usage:write" | "payments:write" | "read_only">; "secret": string; };
export type ApplyForProgramRequest = { "note"?: string; };
export type AuthorizationListView = { "data": Array<AuthorizationView>; "has_more": boolean; "object": "list"; };
export type AuthorizationView = { "amount": string; "amount_captured": string; "amount_remaining": string; "closed_at": number | null; "created": number; "currency": string; "decline_code": string | null; "decline_message": string | null; "expires_at": number; "fee_captured": string; "id": string; "mandate": string; "metadata": { [key: string]: string; }; "object": "authorization"; "payer": string | null; "status": "active" | "captured" | "voided" | "expired" | "declined"; };
export type BalanceAccountView = { "available": string; "currency": string; "pending": string; "posted": string; "purpose": "wallet" | "pending" | "available" | "reserve" | "payout_in_transit" | "fees" | "rounding" | "compensation" | "budget" | "provider_clearing" | "bank"; };
export type BalanceLineView = { "available_on": number | null; "created": number; "description": string | null; "fee": string; "gross": string; "ledger_transaction": string; "net": string; "source_id": string | null; "source_type": string | null; "type": string; };
export type BalanceTransactionListView = { "data": Array<BalanceTransactionView>; "has_more": boolean; "object": "list"; };
export type BalanceTransactionSourceView = { "id": string; "object": string; };
export type BalanceTransactionView = { "amount": string; "created": number; "currency": string; "description": string | null; "fee": string; "id": string; "ledger_transaction": string; "net": string; "object": "balance_transaction"; "purpose": "wallet" | "pending" | "available" | "reserve" | "payout_in_transit" | "fees" | "rounding" | "compensation" | "budget" | "provider_clearing" | "bank"; "resulting_balance": string; "source": BalanceTransactionSourceView | null; "type": string; };
export type BalanceView = { "balances": Array<BalanceAccountView>; "object": "balance"; };
export type BenefitListView = { "data": Array<BenefitView>; "has_more": boolean; "object": "list"; };
export type BenefitSourceView = { "id": string; "type": string; };
export type BenefitView = { "account": string; "amount": string; "created": number; "currency": string; "id": string; "ledger_transaction": string; "object": "incentive_benefit"; "occurred_at": number; "program": string; "requested": string; "returned": string; "source": BenefitSourceView; "type": "token_subsidy" | "fee_rebate" | "signup_credit"; };
export type BillAttemptsView = { "count": number; "data": Array<PaymentView>; "totals": Array<BillAttemptTotalView>; };
export type BillAttemptTotalView = { "amount": string; "currency": string; "payments_count": number; };
export type BillLineView = { "amount": string; "currency": string; "key": string | null; "net": string; "payments_count": number; "refunded": string; "refunds_count": number; };
export type BillTotalView = { "amount": string; "currency": string; "net": string; "payments_count": number; "refunded": string; "refunds_count": number; };
export type BillView = { "declined": BillAttemptsView; "from": number; "group_by": "agent" | "payee" | "mandate" | "day"; "lines": Array<BillLineView>; "object": "bill"; "pending_confirmation": BillAttemptsView; "to": number; "totals": Array<BillTotalView>; "usage": PayerUsageView; };
export type BudgetAmountRequest = { "amount": string; };
export type BudgetView = { "currency": string; "funded": string; "ledger_account": LedgerAccountKeyView; "remaining": string; "spent": string; "withdrawn": string; };
export type CaptureAuthorizationRequest = { "amount"?: string; "final"?: boolean; };
export type CreateAccountRequest = { "capabilities": Array<"receive" | "pay">; "country": string; "default_currency": string; "email": string; "metadata"?: { [key: string]: string; }; "name": string; };
export type CreateAdjustmentRequest = { "currency": string; "legs": Array<AdjustmentLegRequest>; "reason": string; "reference"?: string; };
export type CreateAgentRequest = { "framework"?: string; "metadata"?: { [key: string]: string; }; "name": string; "public_key"?: string; "vendor"?: string; };
export type CreateApiKeyRequest = { "name": string; "scopes"?: Array<"full" | "usage:write" | "payments:write" | "read_only">; };
export type CreateAuthorizationRequest = { "amount": string; "currency": string; "expires_in"?: number; "mandate": string; "metadata"?: { [key: string]: string; }; };
export type CreateMandateRequest = { "agent"?: string; "allowed_payees"?: Array<string>; "confirmation_threshold"?: string; "currency": string; "description": string; "expires_at"?: number; "max_amount_per_day"?: string; "max_amount_per_payment"?: string; "metadata"?: { [key: string]: string; }; "payee"?: string; "total_budget"?: string; };
export type CreatePaymentRequest = { "amount": string; "currency": string; "description"?: string; "mandate": string; "metadata"?: { [key: string]: string; }; };
export type CreatePayoutRequest = { "amount": string; "currency": string; "description"?: string; "metadata"?: { [key: string]: string; }; };
export type CreatePriceRequest = { "currency": string; "effective_from"?: number | string; "metadata"?: { [key: string]: string; }; "minimum_per_event"?: string; "per_call"?: string; "per_million_tokens"?: PerMillionTokensRequest; "product": string; };
export type CreateProductRequest = { "kind": "model" | "agent" | "tool" | "other"; "metadata"?: { [key: string]: string; }; "name": string; };
export type CreateProgramRequest = { "auto_enroll"?: boolean; "currency": string; "description"?: string; "eligibility"?: EligibilityRules; "ends_at"?: number | null; "fee_discount"?: FeeDiscountTerms; "metadata"?: { [key: string]: string; }; "name": string; "signup_credit"?: SignupCreditTerms; "starts_at"?: number; "status"?: "draft" | "active"; "token_subsidy"?: TokenSubsidyTerms; "type": "token_subsidy" | "fee_discount" | "signup_credit"; };
export type CreateReconciliationRunRequest = { "from": string; "statement_csv"?: string; "to": string; };
export type CreateRefundRequest = { "amount"?: string; "metadata"?: { [key: string]: string; }; "payment": string; "reason"?: string; };
export type CreateTopUpRequest = { "amount": string; "currency": string; "metadata"?: { [key: string]: string; }; "test_outcome"?: "succeed" | "pending" | "fail"; };
export type CreateWebhookEndpointRequest = { "description"?: string; "enabled_events": Array<string>; "url": string; };
export type DeletedWebhookEndpointView = { "deleted": true; "id": string; "object": "webhook_endpoint"; };
export type DeveloperProgramListView = { "data": Array<DeveloperProgramView>; "has_more": boolean; "object": "list"; };
export type DeveloperProgramView = { "auto_enroll": boolean; "created": number; "currency": string; "description": string | null; "eligibility": EligibilityView; "ends_at": number | null; "enrollment": EnrollmentView | null; "fee_discount": FeeDiscountView | null; "id": string; "name": string; "object": "incentive_program"; "signup_credit": SignupCreditView | null; "starts_at": number; "status": "draft" | "active" | "paused" | "ended"; "token_subsidy": TokenSubsidyView | null; "type": "token_subsidy" | "fee_discount" | "signup_credit"; };
export type EligibilityRules = { "capabilities"?: Array<"receive" | "pay">; "countries"?: Array<string>; "max_account_age_days"?: number | null; };
export type EligibilityView = { "capabilities": Array<"receive" | "pay">; "countries": Array<string>; "max_account_age_days": number | null; };
export type EnrollmentListView = { "data": Array<EnrollmentView>; "has_more": boolean; "object": "list"; };
export type EnrollmentView = { "account": string; "approved_at": number | null; "benefit_ends_at": number | null; "created": number; "id": string; "method": "application" | "automatic"; "note": string | null; "object": "incentive_enrollment"; "program": string; "rejected_at": number | null; "rejection_reason": string | null; "status": "pending" | "approved" | "rejected"; };
export type ErrorBody = { "error": ErrorDetail; };
export type ErrorDetail = { "code": string; "message": string; "param"?: string; "request_id": string; "type": "invalid_request_error" | "authentication_error" | "permission_error" | "idempotency_error" | "rate_limit_error" | "payment_error" | "api_error"; };
export type EventDataView = { "object": { [key: string]: unknown; }; };
export type EventListView = { "data": Array<EventView>; "has_more": boolean; "object": "list"; };
export type EventView = { "account": string; "created": number; "data": EventDataView; "id": string; "object": "event"; "request_id": string | null; "type": string; };
export type FailTestTopUpRequest = { "failure_code"?: string; "failure_message"?: string; };
export type FeeDiscountTerms = { "duration_days": number; "fee_rate_bps": number; };
export type FeeDiscountView = { "duration_days": number; "fee_rate_bps": number; };
export type HealthView = { "postgres": "up" | "down"; "redis": "up" | "down"; "status": "ok" | "degraded"; };
export type LedgerAccountKeyView = { "currency": string; "id": string; "owner": string; "purpose": "budget"; };
export type LedgerAccountListView = { "data": Array<LedgerAccountView>; "has_more": boolean; "object": "list"; };
export type LedgerAccountView = { "balance": LedgerBalanceView; "created": number; "currency": string; "floor": string | null; "id": string; "normal_balance": "debit" | "credit"; "object": "ledger_account"; "owner": string; "purpose": "wallet" | "pending" | "available" | "reserve" | "payout_in_transit" | "fees" | "rounding" | "compensation" | "budget" | "provider_clearing" | "bank"; "shards": number; };
export type LedgerBalanceView = { "available": string; "credits_pending": string; "credits_posted": string; "debits_pending": string; "debits_posted": string; "pending": string; "posted": string; };
export type LedgerEntryListView = { "data": Array<LedgerEntryView>; "has_more": boolean; "object": "list"; };
export type LedgerEntryView = { "account": string; "amount": string; "created": number; "currency": string; "direction": "debit" | "credit"; "effect": "hold" | "release" | "post"; "id": string; "ledger_transaction": string; "object": "ledger_entry"; "resulting_balance": LedgerBalanceView; "shard": number; };
export type LedgerLegView = { "amount": string; "credit_account": string; "currency": string; "debit_account": string; };
export type LedgerTransactionView = { "children": Array<string>; "created": number; "description": string | null; "entries": Array<LedgerEntryView>; "expires_at": number | null; "id": string; "kind": "transfer" | "hold" | "post_pending" | "void_pending" | "expire_pending" | "reversal"; "legs": Array<LedgerLegView>; "metadata": { [key: string]: string; }; "object": "ledger_transaction"; "parent": string | null; "reference": string; "reference_owner": string; "request_id": string | null; "resolved_at": number | null; "source_id": string | null; "source_type": string | null; "status": "pending" | "posted" | "voided" | "expired"; "type": string; };
export type LineTypeTotalView = { "count": number; "fee": string; "gross": string; "net": string; "type": string; };
export type MandateListView = { "data": Array<MandateView>; "has_more": boolean; "object": "list"; };
export type MandateView = { "agent"?: string | null; "allowed_payees": Array<string>; "confirmation_threshold": string | null; "created": number; "currency": string; "description": string; "expires_at": number | null; "id": string; "max_amount_per_day": string | null; "max_amount_per_payment": string | null; "metadata"?: { [key: string]: string; }; "object": "mandate"; "payer": string; "remaining_budget": string | null; "revoked_at": number | null; "spent_today": string; "spent_total": string; "status": "active" | "exhausted" | "expired" | "revoked"; "total_budget": string | null; };
export type MoneyRequest = { "amount": string; "currency": string; };
export type MoneyView = { "amount": string; "currency": string; };
export type OnboardingLinkView = { "account": AccountView; "expires_at": number; "object": "onboarding_link"; "url": string; };
export type PayerUsageLineView = { "amount": string; "currency": string; "events": number; "product": string; "quantities": UsageQuantitiesView; "vendor": string; };
export type PayerUsageTotalView = { "amount": string; "currency": string; "events": number; };
export type PayerUsageView = { "lines": Array<PayerUsageLineView>; "totals": Array<PayerUsageTotalView>; };
export type PaymentListView = { "data": Array<PaymentView>; "has_more": boolean; "object": "list"; };
export type PaymentView = { "agent"?: string | null; "amount": string; "amount_refunded": string; "confirmation_expires_at": number | null; "created": number; "currency": string; "decline_code": "insufficient_funds" | "mandate_limit_exceeded" | "mandate_budget_exhausted" | "mandate_expired" | "mandate_revoked" | "payee_not_allowed" | "currency_mismatch" | "receiver_not_enabled" | null; "decline_message": string | null; "description": string | null; "fee"?: string; "fee_refunded"?: string; "id": string; "mandate": string; "metadata"?: { [key: string]: string; }; "net"?: string; "object": "payment"; "payer": string; "receiver": string; "status": "succeeded" | "failed" | "requires_confirmation" | "canceled" | "expired"; };
export type PayoutDestinationRequest = { "account_holder_name"?: string; "account_number"?: string; "country"?: string; "currency"?: string; "external_account"?: string; "iban"?: string; "routing_number"?: string; "type": "bank_account" | "external_account"; };
export type PayoutDestinationView = { "account_holder_name": string | null; "country": string | null; "currency": string | null; "external_account": string | null; "last4": string | null; "routing_number": string | null; "type": "bank_account" | "external_account"; };
export type PayoutListView = { "data": Array<PayoutView>; "has_more": boolean; "object": "list"; };
export type PayoutReconciliationView = { "balanced": boolean; "closing_balance": string; "currency": string; "lines": Array<BalanceLineView>; "lines_total": string; "object": "payout_reconciliation"; "opening_balance": string; "payout": string; "payout_amount": string; "summary": Array<LineTypeTotalView>; };
export type PayoutRunView = { "at": number; "object": "payout_run"; "payouts_created": number; "rail_updates": number; "reserves_released": number; "resubmitted": number; "settlement_items": number; "settlements": number; };
export type PayoutScheduleRequest = { "interval": "daily" | "weekly" | "monthly" | "manual"; "monthly_anchor"?: number; "weekly_anchor"?: "sunday" | "monday" | "tuesday" | "wednesday" | "thursday" | "friday" | "saturday"; };
export type PayoutScheduleView = { "interval": "daily" | "weekly" | "monthly" | "manual"; "monthly_anchor": number | null; "weekly_anchor": "sunday" | "monday" | "tuesday" | "wednesday" | "thursday" | "friday" | "saturday" | null; };
export type PayoutSettingsView = { "account": string; "destination": PayoutDestinationView | null; "minimum_amount": MoneyView | null; "object": "payout_settings"; "paused_reason": string | null; "payouts_paused": boolean; "reserve": ReserveTermsView; "schedule": PayoutScheduleView; "settlement_delay_days": number; "updated": number; };
export type PayoutView = { "amount": string; "arrival_date": number | null; "automatic": boolean; "created": number; "currency": string; "description": string | null; "destination": PayoutDestinationView | null; "failure_code": string | null; "failure_message": string | null; "id": string; "metadata": { [key: string]: string; }; "object": "payout"; "provider": "local" | "stripe"; "provider_payout_id": string | null; "provider_transfer_id": string | null; "returned": boolean; "scheduled_for": string | null; "status": "pending" | "in_transit" | "paid" | "failed" | "canceled"; };
export type PerMillionTokensRequest = { "cache_write"?: string; "cached_input"?: string; "input"?: string; "output"?: string; "reasoning"?: string; };
export type PerMillionTokensView = { "cache_write": string | null; "cached_input": string | null; "input": string | null; "output": string | null; "reasoning": string | null; };
export type PriceListView = { "data": Array<PriceView>; "has_more": boolean; "object": "list"; };
export type PriceView = { "created": number; "currency": string; "effective_from": number; "effective_until": number | null; "id": string; "metadata": { [key: string]: string; }; "minimum_per_event": string; "object": "price"; "per_call": string | null; "per_million_tokens": PerMillionTokensView; "product": string; };
export type ProductListView = { "data": Array<ProductView>; "has_more": boolean; "object": "list"; };
export type ProductView = { "active": boolean; "archived_at": number | null; "created": number; "id": string; "kind": "model" | "agent" | "tool" | "other"; "metadata": { [key: string]: string; }; "name": string; "object": "product"; };
export type ProviderEventReceiptView = { "duplicate": boolean; "id": string; "object": "provider_event_receipt"; };
export type ReconciliationExceptionListView = { "data": Array<ReconciliationExceptionView>; "has_more": boolean; "object": "list"; };
export type ReconciliationExceptionView = { "account": string | null; "actual_amount": string | null; "created": number; "currency": string | null; "expected_amount": string | null; "id": string; "kind": "unmatched_provider_line" | "unmatched_ledger_line" | "amount_mismatch"; "ledger_reference": string | null; "line_type": string; "object": "reconciliation_exception"; "payout": string | null; "provider_reference": string | null; "resolution_note": string | null; "resolved_at": number | null; "run": string; "status": "open" | "resolved"; };
export type ReconciliationRunView = { "created": number; "exceptions": Array<ReconciliationExceptionView>; "exceptions_found": number; "id": string; "ledger_lines": number; "matched": number; "object": "reconciliation_run"; "period_end": number; "period_start": number; "provider": "local" | "stripe"; "provider_lines": number; "source": "provider_api" | "statement_file"; };
export type RedeliverEventRequest = { "endpoint"?: string; };
export type RedeliveryListView = { "data": Array<WebhookDeliveryView>; "has_more": boolean; "object": "list"; };
export type RefundView = { "amount": string; "created": number; "currency": string; "fee_refunded": string; "id": string; "metadata": { [key: string]: string; }; "object": "refund"; "payment": string; "reason": string | null; "status": "succeeded"; };
export type RejectEnrollmentRequest = { "reason"?: string; };
export type ReportRowView = { "account"?: string; "benefits": number; "day"?: string; "granted": string; "returned": string; "spent": string; };
export type ReportView = { "beneficiaries": number; "currency": string; "from": string | null; "funded": string; "group_by": "day" | "account"; "object": "incentive_program_report"; "program": string; "remaining": string; "rows": Array<ReportRowView>; "spent": string; "to": string; "withdrawn": string; };
export type RequirementsView = { "currently_due": Array<string>; };
export type ReserveTermsView = { "bps": number; "hold_days": number; };
export type ResolveReconciliationExceptionRequest = { "note": string; };
export type RollApiKeyRequest = { "expires_in_hours"?: number; };
export type RotateWebhookSecretRequest = { "expires_in_hours"?: number; };
export type SignupCreditTerms = { "credit_amount": string; };
export type SignupCreditView = { "credit_amount": string; };
export type SignupView = { "account": AccountView; "api_key": ApiKeyWithSecretView; };
export type TokenSubsidyTerms = { "eligible_products"?: Array<string>; "eligible_vendors"?: Array<string>; "monthly_cap_per_account"?: string | null; "percent": string; };
export type TokenSubsidyView = { "eligible_products": Array<string>; "eligible_vendors": Array<string>; "monthly_cap_per_account": string | null; "percent": string; };
export type TopUpListView = { "data": Array<TopUpView>; "has_more": boolean; "object": "list"; };
export type TopUpView = { "amount": string; "client_secret": string | null; "created": number; "currency": string; "failure_code": string | null; "failure_message": string | null; "id": string; "metadata": { [key: string]: string; }; "object": "top_up"; "provider": "local" | "stripe"; "provider_payment_id": string | null; "status": "pending" | "succeeded" | "failed"; };
export type TrialBalanceCurrencyView = { "balanced": boolean; "credits_pending": string; "credits_posted": string; "currency": string; "debits_pending": string; "debits_posted": string; "purposes": Array<TrialBalancePurposeView>; };
export type TrialBalancePurposeView = { "accounts": number; "balance": string; "credits_pending": string; "credits_posted": string; "debits_pending": string; "debits_posted": string; "purpose": "wallet" | "pending" | "available" | "reserve" | "payout_in_transit" | "fees" | "rounding" | "compensation" | "budget" | "provider_clearing" | "bank"; };
export type TrialBalanceView = { "balanced": boolean; "created": number; "currencies": Array<TrialBalanceCurrencyView>; "mismatched_balances": Array<string> | null; "object": "trial_balance"; };
export type UpdateAccountFeesRequest = { "fee_bps"?: number | null; "fee_fixed"?: string | null; };
export type UpdateAccountRequest = { "default_currency"?: string; "email"?: string; "metadata"?: { [key: string]: string; }; "name"?: string; };
export type UpdatePayoutSettingsRequest = { "destination"?: PayoutDestinationRequest; "minimum_amount"?: MoneyRequest | null; "schedule"?: PayoutScheduleRequest; };
export type UpdateProgramRequest = { "auto_enroll"?: boolean; "description"?: string; "eligibility"?: EligibilityRules; "ends_at"?: number | null; "fee_discount"?: FeeDiscountTerms; "metadata"?: { [key: string]: string; }; "name"?: string; "signup_credit"?: SignupCreditTerms; "starts_at"?: number; "status"?: "draft" | "active" | "paused" | "ended"; "token_subsidy"?: TokenSubsidyTerms; };
export type UpdateSettlementTermsRequest = { "reserve_bps"?: number; "reserve_hold_days"?: number; "settlement_delay_days"?: number | null; };
export type UpdateWebhookEndpointRequest = { "description"?: string | null; "enabled"?: boolean; "enabled_events"?: Array<string>; "url"?: string; };
export type UsageEventBatchInput = { "events": Array<UsageEventInput>; };
export type UsageEventInput = { "authorization"?: string; "id": string; "mandate": string; "metadata"?: { [key: string]: string; }; "price"?: string; "product"?: string; "quantities": UsageQuantitiesView; "timestamp": number | string; };
export type UsageEventListView = { "data": Array<UsageEventView>; "has_more": boolean; "object": "list"; };
export type UsageEventResultsView = { "results": Array<UsageEventResultView>; };
export type UsageEventResultView = { "amount": string | null; "code"?: string; "currency": string | null; "fee": string | null; "id": string | null; "ledger_reference": string | null; "message"?: string; "status": "accepted" | "duplicate" | "conflict" | "rejected"; "usage_event": string | null; };
export type UsageEventView = { "amount": string | null; "authorization": string | null; "code": string | null; "created": number; "currency": string | null; "event_id": string | null; "fee": string | null; "id": string; "ledger_reference": string | null; "mandate": string | null; "message": string | null; "metadata": { [key: string]: string; } | null; "object": "usage_event"; "outcome": "accepted" | "rejected" | "conflict"; "payer": string | null; "price": string | null; "product": string | null; "quantities": UsageQuantitiesView | null; "timestamp": number | null; };
export type UsageQuantitiesView = { "cache_write_tokens"?: number; "cached_input_tokens"?: number; "calls"?: number; "input_tokens"?: number; "output_tokens"?: number; "reasoning_tokens"?: number; };
export type UsageSummaryLineView = { "amount": string; "currency": string; "events": number; "fee": string; "key": string; "net": string; "quantities": UsageQuantitiesView; };
export type UsageSummaryTotalView = { "amount": string; "currency": string; "events": number; "fee": string; "net": string; };
export type UsageSummaryView = { "data": Array<UsageSummaryLineView>; "from": number; "group_by": "product" | "price" | "token_class" | "payer" | "day"; "object": "usage_summary"; "to": number; "totals": Array<UsageSummaryTotalView>; };
export type WalletBalanceView = { "available": string; "currency": string; "held": string; };
export type WalletView = { "account": string; "balances": Array<WalletBalanceView>; "object": "wallet"; };
export type WebhookDeliveryAttemptListView = { "data": Array<WebhookDeliveryAttemptView>; "has_more": boolean; "object": "list"; };
export type WebhookDeliveryAttemptView = { "attempt": number; "created": number; "delivery": string; "duration_ms": number; "endpoint": string; "error": string | null; "event": string; "event_type": string; "id": string; "object": "webhook_delivery_attempt"; "status_code": number | null; "succeeded": boolean; "url": string; };
export type WebhookDeliveryView = { "attempts": number; "created": number; "endpoint": string; "event": string; "id": string; "next_attempt_at": number | null; "object": "webhook_delivery"; "status": "pending" | "succeeded" | "failed" | "canceled"; "trigger": "event" | "redeliver"; };
export type WebhookEndpointListView = { "data": Array<WebhookEndpointView>; "has_more": boolean; "object": "list"; };
export type WebhookEndpointView = { "created": number; "description": string | null; "disabled_reason": "manual" | "endpoint_gone" | null; "enabled": boolean; "enabled_events": Array<string>; "id": string; "object": "webhook_endpoint"; "previous_secret_expires_at": number | null; "url": string; };
export type WebhookEndpointWithSecretView = { "created": number; "description": string | null; "disabled_reason": "manual" | "endpoint_gone" | null; "enabled": boolean; "enabled_events": Array<string>; "id": string; "object": "webhook_endpoint"; "previous_secret_expires_at": number | null; "secret": string; "url": string; };
export type WithdrawBudgetRequest = { "amount"?: string; };

export class AiReceiveApi {
  constructor(private readonly transport: Transport) {}

  /** Retrieve the account of the calling key */
  accountsGet(options: RequestOptions = {}): Promise<AccountView> {
    return this.transport.request("GET", `/v1/account`, { options });
  }

  /** Get a link where the account completes verification */
  accountsOnboardingLink(options: RequestOptions = {}): Promise<OnboardingLinkView> {
    return this.transport.request("POST", `/v1/account/onboarding_links`, { options });
  }

  /** Sign up: create an account and its first secret key */
  accountsSignup(body: CreateAccountRequest, options: RequestOptions = {}): Promise<SignupView> {
    return this.transport.request("POST", `/v1/accounts`, { body, options });
  }

  /** Update the account of the calling key */
  accountsUpdate(body: UpdateAccountRequest, options: RequestOptions = {}): Promise<AccountView> {
    return this.transport.request("PATCH", `/v1/account`, { body, options });
  }

  /** Retrieve any account (operator) */
  adminAccountsGet(id: string, options: RequestOptions = {}): Promise<AdminAccountView> {
    return this.transport.request("GET", `/v1/admin/accounts/${encodeURIComponent(id)}`, { options });
  }

  /** List all accounts (operator) */
  adminAccountsList(query: { limit?: number; starting_after?: string; } = {}, options: RequestOptions = {}): Promise<AccountListView> {
    return this.transport.request("GET", `/v1/admin/accounts`, { query, options });
  }

  /** Reinstate a suspended account (operator) */
  adminAccountsReinstate(id: string, options: RequestOptions = {}): Promise<AdminAccountView> {
    return this.transport.request("POST", `/v1/admin/accounts/${encodeURIComponent(id)}/reinstate`, { options });
  }

  /** Suspend an account: its keys get 403 account_suspended (operator) */
  adminAccountsSuspend(id: string, options: RequestOptions = {}): Promise<AdminAccountView> {
    return this.transport.request("POST", `/v1/admin/accounts/${encodeURIComponent(id)}/suspend`, { options });
  }

  /** Override an account's platform fee (operator) */
  adminAccountsUpdate(id: string, body: UpdateAccountFeesRequest, options: RequestOptions = {}): Promise<AdminAccountView> {
    return this.transport.request("PATCH", `/v1/admin/accounts/${encodeURIComponent(id)}`, { body, options });
  }

  /** Approve a pending enrollment (operator) */
  adminIncentiveProgramsApprove(id: string, enrollment: string, options: RequestOptions = {}): Promise<EnrollmentView> {
    return this.transport.request("POST", `/v1/admin/incentive_programs/${encodeURIComponent(id)}/enrollments/${encodeURIComponent(enrollment)}/approve`, { options });
  }

  /** Create an incentive program (operator) */
  adminIncentiveProgramsCreate(body: CreateProgramRequest, options: RequestOptions = {}): Promise<AdminProgramView> {
    return this.transport.request("POST", `/v1/admin/incentive_programs`, { body, options });
  }

  /** List a program's enrollments (operator) */
  adminIncentiveProgramsEnrollmentsOf(id: string, query: { limit?: number; starting_after?: string; status?: "pending" | "approved" | "rejected"; } = {}, options: RequestOptions = {}): Promise<EnrollmentListView> {
    return this.transport.request("GET", `/v1/admin/incentive_programs/${encodeURIComponent(id)}/enrollments`, { query, options });
  }

  /** Move platform money into a program's budget (operator) */
  adminIncentiveProgramsFund(id: string, body: BudgetAmountRequest, options: RequestOptions = {}): Promise<AdminProgramView> {
    return this.transport.request("POST", `/v1/admin/incentive_programs/${encodeURIComponent(id)}/fund`, { body, options });
  }

  /** Retrieve an incentive program with its budget (operator) */
  adminIncentiveProgramsGet(id: string, options: RequestOptions = {}): Promise<AdminProgramView> {
    return this.transport.request("GET", `/v1/admin/incentive_programs/${encodeURIComponent(id)}`, { options });
  }

  /** List incentive programs (operator) */
  adminIncentiveProgramsList(query: { limit?: number; starting_after?: string; status?: "draft" | "active" | "paused" | "ended"; type?: "token_subsidy" | "fee_discount" | "signup_credit"; } = {}, options: RequestOptions = {}): Promise<AdminProgramListView> {
    return this.transport.request("GET", `/v1/admin/incentive_programs`, { query, options });
  }

  /** Reject a pending enrollment (operator) */
  adminIncentiveProgramsReject(id: string, enrollment: string, body: RejectEnrollmentRequest, options: RequestOptions = {}): Promise<EnrollmentView> {
    return this.transport.request("POST", `/v1/admin/incentive_programs/${encodeURIComponent(id)}/enrollments/${encodeURIComponent(enrollment)}/reject`, { body, options });
  }

  /** A program's spending report (operator) */
  adminIncentiveProgramsReport(id: string, query: { from?: string; group_by?: "day" | "account"; to?: string; } = {}, options: RequestOptions = {}): Promise<ReportView> {
    return this.transport.request("GET", `/v1/admin/incentive_programs/${encodeURIComponent(id)}/report`, { query, options });
  }

  /** Update an incentive program (operator) */
  adminIncentiveProgramsUpdate(id: string, body: UpdateProgramRequest, options: RequestOptions = {}): Promise<AdminProgramView> {
    return this.transport.request("PATCH", `/v1/admin/incentive_programs/${encodeURIComponent(id)}`, { body, options });
  }

  /** Move a program's unspent budget back to the platform (operator) */
  adminIncentiveProgramsWithdraw(id: string, body: WithdrawBudgetRequest, options: RequestOptions = {}): Promise<AdminProgramView> {
    return this.transport.request("POST", `/v1/admin/incentive_programs/${encodeURIComponent(id)}/withdraw`, { body, options });
  }

  /** List ledger accounts with their balances, newest first (operator) */
  adminLedgerAccounts(query: { limit?: number; starting_after?: string; currency?: string; owner?: string; purpose?: "wallet" | "pending" | "available" | "reserve" | "payout_in_transit" | "fees" | "rounding" | "compensation" | "budget" | "provider_clearing" | "bank"; } = {}, options: RequestOptions = {}): Promise<LedgerAccountListView> {
    return this.transport.request("GET", `/v1/admin/ledger/accounts`, { query, options });
  }

  /** Post a balanced manual correction with a reason (operator) */
  adminLedgerAdjust(body: CreateAdjustmentRequest, options: RequestOptions = {}): Promise<LedgerTransactionView> {
    return this.transport.request("POST", `/v1/admin/ledger/adjustments`, { body, options });
  }

  /** List a ledger account's entries with resulting balances, newest first (operator) */
  adminLedgerEntries(id: string, query: { limit?: number; starting_after?: string; } = {}, options: RequestOptions = {}): Promise<LedgerEntryListView> {
    return this.transport.request("GET", `/v1/admin/ledger/accounts/${encodeURIComponent(id)}/entries`, { query, options });
  }

  /** Retrieve a ledger transaction with its legs, entries and linked transactions (operator) */
  adminLedgerTransaction(id: string, options: RequestOptions = {}): Promise<LedgerTransactionView> {
    return this.transport.request("GET", `/v1/admin/ledger/transactions/${encodeURIComponent(id)}`, { options });
  }

  /** Trial balance: Σ debits and Σ credits per currency and purpose (operator) */
  adminLedgerTrialBalance(query: { verify_entries?: boolean; } = {}, options: RequestOptions = {}): Promise<TrialBalanceView> {
    return this.transport.request("GET", `/v1/admin/ledger/trial_balance`, { query, options });
  }

  /** Retrieve an account's payout settings and settlement terms (operator) */
  adminPayoutsGet(id: string, options: RequestOptions = {}): Promise<PayoutSettingsView> {
    return this.transport.request("GET", `/v1/admin/accounts/${encodeURIComponent(id)}/payout_settings`, { options });
  }

  /** Run the payout clock now (operator) */
  adminPayoutsRun(options: RequestOptions = {}): Promise<PayoutRunView> {
    return this.transport.request("POST", `/v1/admin/payout_runs`, { options });
  }

  /** Set an account's settlement delay and rolling reserve (operator) */
  adminPayoutsUpdate(id: string, body: UpdateSettlementTermsRequest, options: RequestOptions = {}): Promise<PayoutSettingsView> {
    return this.transport.request("PUT", `/v1/admin/accounts/${encodeURIComponent(id)}/payout_settings`, { body, options });
  }

  /** List reconciliation exceptions, newest first (operator) */
  adminReconciliationExceptions(query: { limit?: number; starting_after?: string; status?: "open" | "resolved"; } = {}, options: RequestOptions = {}): Promise<ReconciliationExceptionListView> {
    return this.transport.request("GET", `/v1/admin/reconciliation/exceptions`, { query, options });
  }

  /** Resolve a reconciliation exception with a note (operator) */
  adminReconciliationResolve(id: string, body: ResolveReconciliationExceptionRequest, options: RequestOptions = {}): Promise<ReconciliationExceptionView> {
    return this.transport.request("POST", `/v1/admin/reconciliation/exceptions/${encodeURIComponent(id)}/resolve`, { body, options });
  }

  /** Reconcile the provider's records of a period against the ledger (operator) */
  adminReconciliationRun(body: CreateReconciliationRunRequest, options: RequestOptions = {}): Promise<ReconciliationRunView> {
    return this.transport.request("POST", `/v1/admin/reconciliation/runs`, { body, options });
  }

  /** Download the local bank's statement file for a period (operator) */
  adminReconciliationStatement(query: { from: string; to: string; }, options: RequestOptions = {}): Promise<unknown> {
    return this.transport.request("GET", `/v1/admin/local_rail/statement.csv`, { query, options });
  }

  /** Register an AI agent that spends under your mandates */
  agentsCreate(body: CreateAgentRequest, options: RequestOptions = {}): Promise<AgentView> {
    return this.transport.request("POST", `/v1/agents`, { body, options });
  }

  /** Retrieve an agent */
  agentsGet(id: string, options: RequestOptions = {}): Promise<AgentView> {
    return this.transport.request("GET", `/v1/agents/${encodeURIComponent(id)}`, { options });
  }

  /** List your agents */
  agentsList(query: { limit?: number; starting_after?: string; } = {}, options: RequestOptions = {}): Promise<AgentListView> {
    return this.transport.request("GET", `/v1/agents`, { query, options });
  }

  /** Create a secret key (shown once) */
  apiKeysCreate(body: CreateApiKeyRequest, options: RequestOptions = {}): Promise<ApiKeyWithSecretView> {
    return this.transport.request("POST", `/v1/api_keys`, { body, options });
  }

  /** List secret keys (never the secrets: prefix and last four only) */
  apiKeysList(query: { limit?: number; starting_after?: string; } = {}, options: RequestOptions = {}): Promise<ApiKeyListView> {
    return this.transport.request("GET", `/v1/api_keys`, { query, options });
  }

  /** Revoke a secret key at once */
  apiKeysRevoke(id: string, options: RequestOptions = {}): Promise<ApiKeyView> {
    return this.transport.request("DELETE", `/v1/api_keys/${encodeURIComponent(id)}`, { options });
  }

  /** Roll a secret key: a new secret now, the old one expires after the overlap (≤ 7 days) */
  apiKeysRoll(id: string, body: RollApiKeyRequest, options: RequestOptions = {}): Promise<ApiKeyWithSecretView> {
    return this.transport.request("POST", `/v1/api_keys/${encodeURIComponent(id)}/roll`, { body, options });
  }

  /** Capture from an authorization */
  authorizationsCapture(id: string, body: CaptureAuthorizationRequest, options: RequestOptions = {}): Promise<AuthorizationView> {
    return this.transport.request("POST", `/v1/authorizations/${encodeURIComponent(id)}/capture`, { body, options });
  }

  /** Authorize up to an amount: hold it on the payer’s wallet under the mandate */
  authorizationsCreate(body: CreateAuthorizationRequest, options: RequestOptions = {}): Promise<AuthorizationView> {
    return this.transport.request("POST", `/v1/authorizations`, { body, options });
  }

  /** Retrieve an authorization */
  authorizationsGet(id: string, options: RequestOptions = {}): Promise<AuthorizationView> {
    return this.transport.request("GET", `/v1/authorizations/${encodeURIComponent(id)}`, { options });
  }

  /** List authorizations, newest first */
  authorizationsList(query: { limit?: number; starting_after?: string; } = {}, options: RequestOptions = {}): Promise<AuthorizationListView> {
    return this.transport.request("GET", `/v1/authorizations`, { query, options });
  }

  /** Void an authorization: whatever is still held returns to the wallet */
  authorizationsVoid(id: string, options: RequestOptions = {}): Promise<AuthorizationView> {
    return this.transport.request("POST", `/v1/authorizations/${encodeURIComponent(id)}/void`, { options });
  }

  /** Retrieve the caller's balances by currency and purpose */
  balanceBalance(options: RequestOptions = {}): Promise<BalanceView> {
    return this.transport.request("GET", `/v1/balance`, { options });
  }

  /** List the caller's balance transactions (ledger lines), newest first */
  balanceList(query: { limit?: number; starting_after?: string; created_gte?: number; created_lt?: number; payout?: string; type?: string; } = {}, options: RequestOptions = {}): Promise<BalanceTransactionListView> {
    return this.transport.request("GET", `/v1/balance_transactions`, { query, options });
  }

  /** Your AI bill (payer): what your agents spent in a period, grouped by agent, payee, mandate or day */
  billsGet(query: { from?: number; group_by?: "agent" | "payee" | "mandate" | "day"; to?: number; } = {}, options: RequestOptions = {}): Promise<BillView> {
    return this.transport.request("GET", `/v1/bills`, { query, options });
  }

  /** Retrieve an event with the object as it was right after the change */
  eventsGet(id: string, options: RequestOptions = {}): Promise<EventView> {
    return this.transport.request("GET", `/v1/events/${encodeURIComponent(id)}`, { options });
  }

  /** List events, newest first (every state change of the account writes one) */
  eventsList(query: { limit?: number; starting_after?: string; type?: string; } = {}, options: RequestOptions = {}): Promise<EventListView> {
    return this.transport.request("GET", `/v1/events`, { query, options });
  }

  /** Send an event again, once, to one endpoint or to every enabled endpoint subscribed to its type */
  eventsRedeliver(id: string, body: RedeliverEventRequest, options: RequestOptions = {}): Promise<RedeliveryListView> {
    return this.transport.request("POST", `/v1/events/${encodeURIComponent(id)}/redeliver`, { body, options });
  }

  /** Liveness and dependencies: PostgreSQL and Redis */
  healthHealth(options: RequestOptions = {}): Promise<HealthView> {
    return this.transport.request("GET", `/health`, { options });
  }

  /** Prometheus metrics: request latency histogram, queue depths, process */
  healthMetrics(options: RequestOptions = {}): Promise<string> {
    return this.transport.request("GET", `/metrics`, { options });
  }

  /** Apply to an incentive program */
  incentivesApply(id: string, body: ApplyForProgramRequest, options: RequestOptions = {}): Promise<EnrollmentView> {
    return this.transport.request("POST", `/v1/incentive_programs/${encodeURIComponent(id)}/enrollments`, { body, options });
  }

  /** Retrieve one of the account’s enrollments */
  incentivesGetEnrollment(id: string, options: RequestOptions = {}): Promise<EnrollmentView> {
    return this.transport.request("GET", `/v1/incentive_enrollments/${encodeURIComponent(id)}`, { options });
  }

  /** Retrieve an open incentive program, or one the account is enrolled in */
  incentivesGetProgram(id: string, options: RequestOptions = {}): Promise<DeveloperProgramView> {
    return this.transport.request("GET", `/v1/incentive_programs/${encodeURIComponent(id)}`, { options });
  }

  /** List the account's incentive benefits */
  incentivesListBenefits(query: { limit?: number; starting_after?: string; program?: string; } = {}, options: RequestOptions = {}): Promise<BenefitListView> {
    return this.transport.request("GET", `/v1/incentives/benefits`, { query, options });
  }

  /** List the account's enrollments */
  incentivesListEnrollments(query: { limit?: number; starting_after?: string; status?: "pending" | "approved" | "rejected"; } = {}, options: RequestOptions = {}): Promise<EnrollmentListView> {
    return this.transport.request("GET", `/v1/incentive_enrollments`, { query, options });
  }

  /** List the open incentive programs the account qualifies for or is enrolled in */
  incentivesListPrograms(query: { limit?: number; starting_after?: string; status?: "draft" | "active" | "paused" | "ended"; type?: "token_subsidy" | "fee_discount" | "signup_credit"; } = {}, options: RequestOptions = {}): Promise<DeveloperProgramListView> {
    return this.transport.request("GET", `/v1/incentive_programs`, { query, options });
  }

  /** Grant a spending mandate to payees (payer) */
  mandatesCreate(body: CreateMandateRequest, options: RequestOptions = {}): Promise<MandateView> {
    return this.transport.request("POST", `/v1/mandates`, { body, options });
  }

  /** Retrieve a mandate with what it has spent today and in total */
  mandatesGet(id: string, options: RequestOptions = {}): Promise<MandateView> {
    return this.transport.request("GET", `/v1/mandates/${encodeURIComponent(id)}`, { options });
  }

  /** List mandates you granted or that were granted to you */
  mandatesList(query: { limit?: number; starting_after?: string; role?: "payer" | "payee"; } = {}, options: RequestOptions = {}): Promise<MandateListView> {
    return this.transport.request("GET", `/v1/mandates`, { query, options });
  }

  /** Revoke a mandate at once (payer): every later payment is declined */
  mandatesRevoke(id: string, options: RequestOptions = {}): Promise<MandateView> {
    return this.transport.request("POST", `/v1/mandates/${encodeURIComponent(id)}/revoke`, { options });
  }

  /** Refuse (payer) or withdraw (receiver) a payment awaiting confirmation */
  paymentsCancel(id: string, options: RequestOptions = {}): Promise<PaymentView> {
    return this.transport.request("POST", `/v1/payments/${encodeURIComponent(id)}/cancel`, { options });
  }

  /** Confirm a payment awaiting your confirmation (payer): the held amount is paid */
  paymentsConfirm(id: string, options: RequestOptions = {}): Promise<PaymentView> {
    return this.transport.request("POST", `/v1/payments/${encodeURIComponent(id)}/confirm`, { options });
  }

  /** Charge a mandate (receiver) */
  paymentsCreate(body: CreatePaymentRequest, options: RequestOptions = {}): Promise<PaymentView> {
    return this.transport.request("POST", `/v1/payments`, { body, options });
  }

  /** Retrieve a payment you made or received */
  paymentsGet(id: string, options: RequestOptions = {}): Promise<PaymentView> {
    return this.transport.request("GET", `/v1/payments/${encodeURIComponent(id)}`, { options });
  }

  /** List payments you made or received, each in your view */
  paymentsList(query: { limit?: number; starting_after?: string; role?: "payer" | "receiver"; } = {}, options: RequestOptions = {}): Promise<PaymentListView> {
    return this.transport.request("GET", `/v1/payments`, { query, options });
  }

  /** Cancel a payout not yet sent to the provider */
  payoutsCancel(id: string, options: RequestOptions = {}): Promise<PayoutView> {
    return this.transport.request("POST", `/v1/payouts/${encodeURIComponent(id)}/cancel`, { options });
  }

  /** Request a manual payout of available funds */
  payoutsCreate(body: CreatePayoutRequest, options: RequestOptions = {}): Promise<PayoutView> {
    return this.transport.request("POST", `/v1/payouts`, { body, options });
  }

  /** Retrieve a payout */
  payoutsGet(id: string, options: RequestOptions = {}): Promise<PayoutView> {
    return this.transport.request("GET", `/v1/payouts/${encodeURIComponent(id)}`, { options });
  }

  /** List payouts, newest first */
  payoutsList(query: { limit?: number; starting_after?: string; status?: "pending" | "in_transit" | "paid" | "failed" | "canceled"; } = {}, options: RequestOptions = {}): Promise<PayoutListView> {
    return this.transport.request("GET", `/v1/payouts`, { query, options });
  }

  /** Explain a payout line by line */
  payoutsReconciliation(id: string, options: RequestOptions = {}): Promise<PayoutReconciliationView> {
    return this.transport.request("GET", `/v1/payouts/${encodeURIComponent(id)}/reconciliation`, { options });
  }

  /** Retrieve the payout schedule, minimum, destination and settlement terms */
  payoutSettingsGet(options: RequestOptions = {}): Promise<PayoutSettingsView> {
    return this.transport.request("GET", `/v1/payout_settings`, { options });
  }

  /** Update the payout schedule, minimum amount or destination */
  payoutSettingsUpdate(body: UpdatePayoutSettingsRequest, options: RequestOptions = {}): Promise<PayoutSettingsView> {
    return this.transport.request("PUT", `/v1/payout_settings`, { body, options });
  }

  /** Create a price version */
  pricesCreate(body: CreatePriceRequest, options: RequestOptions = {}): Promise<PriceView> {
    return this.transport.request("POST", `/v1/prices`, { body, options });
  }

  /** Retrieve a price version */
  pricesGet(id: string, options: RequestOptions = {}): Promise<PriceView> {
    return this.transport.request("GET", `/v1/prices/${encodeURIComponent(id)}`, { options });
  }

  /** List price versions, newest first */
  pricesList(query: { limit?: number; starting_after?: string; currency?: string; product?: string; current?: "true" | "false"; } = {}, options: RequestOptions = {}): Promise<PriceListView> {
    return this.transport.request("GET", `/v1/prices`, { query, options });
  }

  /** Archive a product */
  productsArchive(id: string, options: RequestOptions = {}): Promise<ProductView> {
    return this.transport.request("POST", `/v1/products/${encodeURIComponent(id)}/archive`, { options });
  }

  /** Create a product (a model, agent, tool or other usage-billed item) */
  productsCreate(body: CreateProductRequest, options: RequestOptions = {}): Promise<ProductView> {
    return this.transport.request("POST", `/v1/products`, { body, options });
  }

  /** Retrieve a product */
  productsGet(id: string, options: RequestOptions = {}): Promise<ProductView> {
    return this.transport.request("GET", `/v1/products/${encodeURIComponent(id)}`, { options });
  }

  /** List products, newest first */
  productsList(query: { limit?: number; starting_after?: string; active?: boolean; } = {}, options: RequestOptions = {}): Promise<ProductListView> {
    return this.transport.request("GET", `/v1/products`, { query, options });
  }

  /** Receive a Stripe webhook */
  providerWebhooksReceiveStripe(body: Record<string, unknown>, options: RequestOptions = {}): Promise<ProviderEventReceiptView> {
    return this.transport.request("POST", `/v1/webhooks/stripe`, { body, options });
  }

  /** Refund a payment in full or in part (receiver) */
  refundsCreate(body: CreateRefundRequest, options: RequestOptions = {}): Promise<RefundView> {
    return this.transport.request("POST", `/v1/refunds`, { body, options });
  }

  /** Retrieve a refund you made */
  refundsGet(id: string, options: RequestOptions = {}): Promise<RefundView> {
    return this.transport.request("GET", `/v1/refunds/${encodeURIComponent(id)}`, { options });
  }

  /** Download a statement of the available balance for a period (CSV, streamed) */
  reportsBalanceTransactions(query: { currency?: string; from: string; to: string; }, options: RequestOptions = {}): Promise<unknown> {
    return this.transport.request("GET", `/v1/reports/balance_transactions.csv`, { query, options });
  }

  /** Simulate the provider declining a pending top-up: credits nothing and records the failure */
  topUpTestHelpersFail(id: string, body: FailTestTopUpRequest, options: RequestOptions = {}): Promise<TopUpView> {
    return this.transport.request("POST", `/v1/test_helpers/top_ups/${encodeURIComponent(id)}/fail`, { body, options });
  }

  /** Simulate the provider collecting a pending top-up: credits the wallet once */
  topUpTestHelpersSucceed(id: string, options: RequestOptions = {}): Promise<TopUpView> {
    return this.transport.request("POST", `/v1/test_helpers/top_ups/${encodeURIComponent(id)}/succeed`, { options });
  }

  /** List usage events you reported, accepted and refused, newest first */
  usageEventsList(query: { limit?: number; starting_after?: string; created_gte?: number; created_lt?: number; mandate?: string; outcome?: "accepted" | "rejected" | "conflict"; product?: string; } = {}, options: RequestOptions = {}): Promise<UsageEventListView> {
    return this.transport.request("GET", `/v1/usage_events`, { query, options });
  }

  /** Report usage: one event or {"events": [...]} of up to 1,000 */
  usageEventsRecord(body: UsageEventInput | UsageEventBatchInput, options: RequestOptions = {}): Promise<UsageEventResultsView> {
    return this.transport.request("POST", `/v1/usage_events`, { body, options });
  }

  /** Summarise accepted usage by product, price, token class, payer or day */
  usageEventsSummary(query: { from?: number; group_by?: "product" | "price" | "token_class" | "payer" | "day"; to?: number; } = {}, options: RequestOptions = {}): Promise<UsageSummaryView> {
    return this.transport.request("GET", `/v1/usage/summary`, { query, options });
  }

  /** Add money to your wallet */
  walletsCreate(body: CreateTopUpRequest, options: RequestOptions = {}): Promise<TopUpView> {
    return this.transport.request("POST", `/v1/wallet/top_ups`, { body, options });
  }

  /** Your wallet's available and held balance per currency */
  walletsGet(options: RequestOptions = {}): Promise<WalletView> {
    return this.transport.request("GET", `/v1/wallet`, { options });
  }

  /** Retrieve a top-up */
  walletsGetTopUp(id: string, options: RequestOptions = {}): Promise<TopUpView> {
    return this.transport.request("GET", `/v1/wallet/top_ups/${encodeURIComponent(id)}`, { options });
  }

  /** List your top-ups */
  walletsList(query: { limit?: number; starting_after?: string; } = {}, options: RequestOptions = {}): Promise<TopUpListView> {
    return this.transport.request("GET", `/v1/wallet/top_ups`, { query, options });
  }

  /** Create a webhook endpoint (its signing secret is shown once) */
  webhookEndpointsCreate(body: CreateWebhookEndpointRequest, options: RequestOptions = {}): Promise<WebhookEndpointWithSecretView> {
    return this.transport.request("POST", `/v1/webhook_endpoints`, { body, options });
  }

  /** Delete a webhook endpoint and its delivery history */
  webhookEndpointsDelete(id: string, options: RequestOptions = {}): Promise<DeletedWebhookEndpointView> {
    return this.transport.request("DELETE", `/v1/webhook_endpoints/${encodeURIComponent(id)}`, { options });
  }

  /** List the endpoint's delivery attempts, newest first: status code, duration, error */
  webhookEndpointsDeliveries(id: string, query: { limit?: number; starting_after?: string; event?: string; } = {}, options: RequestOptions = {}): Promise<WebhookDeliveryAttemptListView> {
    return this.transport.request("GET", `/v1/webhook_endpoints/${encodeURIComponent(id)}/deliveries`, { query, options });
  }

  /** Retrieve a webhook endpoint */
  webhookEndpointsGet(id: string, options: RequestOptions = {}): Promise<WebhookEndpointView> {
    return this.transport.request("GET", `/v1/webhook_endpoints/${encodeURIComponent(id)}`, { options });
  }

  /** List webhook endpoints, newest first */
  webhookEndpointsList(query: { limit?: number; starting_after?: string; } = {}, options: RequestOptions = {}): Promise<WebhookEndpointListView> {
    return this.transport.request("GET", `/v1/webhook_endpoints`, { query, options });
  }

  /** Rotate the signing secret (the new one is shown once; the old one also signs during the overlap) */
  webhookEndpointsRotateSecret(id: string, body: RotateWebhookSecretRequest, options: RequestOptions = {}): Promise<WebhookEndpointWithSecretView> {
    return this.transport.request("POST", `/v1/webhook_endpoints/${encodeURIComponent(id)}/rotate_secret`, { body, options });
  }

  /** Update a webhook endpoint: URL, events, description, enabled */
  webhookEndpointsUpdate(id: string, body: UpdateWebhookEndpointRequest, options: RequestOptions = {}): Promise<WebhookEndpointView> {
    return this.transport.request("PATCH", `/v1/webhook_endpoints/${encodeURIComponent(id)}`, { body, options });
  }
}
