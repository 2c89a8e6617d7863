/**
 * The value sets and column layouts of the export. The SQL staging models and the accepted-values
 * tests are written against exactly these strings, so they live in one place.
 */
export const CUSTOMER_TYPES = ['B2B', 'B2C'] as const;
export const REGIONS = ['华东', '华北', '华南', '华中', '西南', '西北', '东北'] as const;
export const CHANNELS = ['direct', 'online', 'distributor', 'partner'] as const;
export const INDUSTRIES = ['制造业', '零售', '互联网', '金融', '医疗', '教育', '物流', '餐饮'] as const;
export const SOURCES = ['referral', 'web', 'exhibition', 'cold_call', 'advertising', 'partner'] as const;
export const ACCOUNT_TYPES = ['standard', 'partner', 'strategic'] as const;
export const PRODUCT_CATEGORIES = ['软件订阅', '硬件设备', '实施服务', '培训', '耗材', '增值服务'] as const;
export const ORDER_STATUSES = ['completed', 'cancelled', 'refunded'] as const;
export const ACTIVITY_TYPES = ['call', 'visit', 'email', 'wechat', 'meeting'] as const;
export const SATISFACTION_LEVELS = ['很满意', '满意', '一般', '不满意', '很不满意'] as const;
export const TICKET_CATEGORIES = ['安装', '故障', '咨询', '投诉', '退换货'] as const;
export const TICKET_PRIORITIES = ['low', 'medium', 'high'] as const;
export const TICKET_STATUSES = ['open', 'closed'] as const;

export type CustomerType = (typeof CUSTOMER_TYPES)[number];
export type Region = (typeof REGIONS)[number];
export type Channel = (typeof CHANNELS)[number];
export type Industry = (typeof INDUSTRIES)[number];
export type Source = (typeof SOURCES)[number];
export type AccountType = (typeof ACCOUNT_TYPES)[number];
export type ProductCategory = (typeof PRODUCT_CATEGORIES)[number];
export type OrderStatus = (typeof ORDER_STATUSES)[number];
export type ActivityType = (typeof ACTIVITY_TYPES)[number];
export type Satisfaction = (typeof SATISFACTION_LEVELS)[number];
export type TicketCategory = (typeof TICKET_CATEGORIES)[number];
export type TicketPriority = (typeof TICKET_PRIORITIES)[number];
export type TicketStatus = (typeof TICKET_STATUSES)[number];

/** Column names and order of each file. */
export const TABLE_COLUMNS = {
  customers: ['customer_id', 'customer_name', 'customer_type', 'region', 'channel', 'industry', 'source',
    'account_type', 'owner', 'email', 'phone', 'created_date'],
  orders: ['order_id', 'customer_id', 'order_date', 'product_category', 'quantity', 'amount_cny', 'discount_cny',
    'status'],
  activities: ['activity_id', 'customer_id', 'activity_date', 'activity_type', 'owner', 'note'],
  surveys: ['survey_id', 'customer_id', 'survey_date', 'satisfaction', 'nps_score'],
  referrals: ['referral_id', 'referrer_customer_id', 'referred_customer_id', 'referral_date'],
  tickets: ['ticket_id', 'customer_id', 'opened_date', 'category', 'priority', 'status'],
} as const;

export type TableName = keyof typeof TABLE_COLUMNS;
/** Files are written (and listed in the summary) in this order. */
export const TABLE_NAMES = ['customers', 'orders', 'activities', 'surveys', 'referrals', 'tickets'] as const satisfies
  readonly TableName[];
