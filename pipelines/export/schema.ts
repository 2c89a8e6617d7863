/**
 * Types of the marts and staging views `crm-tiers export` reads through Kysely (only the columns it reads).
 * Dates come back as 'YYYY-MM-DD' strings, DECIMAL and BIGINT as numbers (see db/values.ts).
 */
export interface CustomerSegmentsCurrentTable {
  customer_id: string;
  customer_name: string;
  customer_type: string;
  region: string | null;
  channel: string | null;
  as_of_date: string;
  value_tier: string | null;
  value_tier_zh: string | null;
  abc_class: string | null;
  abc_class_zh: string | null;
  customer_score: number | null;
  score_tier: string | null;
  score_tier_zh: string | null;
  rfm_score: string | null;
  rfm_segment: string | null;
  rfm_segment_zh: string | null;
  lifecycle_stage: string | null;
  lifecycle_stage_zh: string | null;
  clv_tier: string | null;
  clv_tier_zh: string | null;
  top_product_category: string | null;
  is_price_sensitive: boolean | null;
  is_service_intensive: boolean | null;
  satisfaction_band: string | null;
  referrals_made: number | null;
  is_strategic_account: boolean | null;
}

export interface SegmentDefinitionsTable {
  scheme_code: number;
  scheme: string;
  scheme_label_en: string;
  scheme_label_zh: string;
  segment_rank: number;
  segment: string;
  segment_zh: string;
}

export interface CustomerRfmTable {
  customer_id: string;
  first_order_date: string;
  last_order_date: string;
  recency_days: number;
  frequency_orders: number;
  monetary_cny: number;
}

export interface CustomerClvTable {
  customer_id: string;
  p_alive: number | null;
  clv_cny: number;
  clv_tier: string;
  clv_tier_rank: number;
  churn_risk_band: string;
}


export interface StgCustomersTable {
  customer_id: string;
  customer_key: bigint;
  email: string | null;
  phone: string | null;
}

export interface StgContactsTable {
  contact_id: string;
  customer_key: bigint | null;
  email: string | null;
  phone: string | null;
  created_date: string;
}

export interface ExportSchema {
  customer_segments_current: CustomerSegmentsCurrentTable;
  segment_definitions: SegmentDefinitionsTable;
  customer_rfm: CustomerRfmTable;
  customer_clv: CustomerClvTable;
  stg_customers: StgCustomersTable;
  stg_contacts: StgContactsTable;
}
