/**
 * How a plain order or invoice log names its columns. Names are compared without case, spaces, underscores or
 * hyphens, so `Customer ID`, `customer_id` and `CustomerID` are one name.
 */
export const ORDER_LOG_COLUMN_NAMES = {
  customer: ['customerid', 'customer', 'customerno', 'customernumber', 'clientid', 'memberid', '客户编号', '客户id', '客户代码', '会员编号', '会员id'],
  date: ['invoicedate', 'orderdate', 'purchasedate', 'transactiondate', 'date', '下单时间', '下单日期', '订单日期', '成交日期', '日期'],
  amount: ['amount', 'amountcny', 'revenue', 'revenuecny', 'sales', 'total', 'totalamount', 'ordertotal', 'ordervalue', '金额', '订单金额', '实付金额', '销售额', '合同金额'],
  quantity: ['quantity', 'qty', 'units', '数量'],
  unitPrice: ['unitprice', 'price', '单价'],
  orderId: ['invoiceno', 'invoice', 'invoiceid', 'invoicenumber', 'orderid', 'orderno', 'ordernumber', '订单编号', '订单号', '合同编号'],
  product: ['productcategory', 'category', 'description', 'product', 'productname', 'stockcode', '产品类别', '品类', '产品', '商品', '产品名称'],
  region: ['country', 'region', '国家', '地区', '区域'],
  status: ['status', 'orderstatus', '状态', '订单状态'],
} as const;

export type OrderLogField = keyof typeof ORDER_LOG_COLUMN_NAMES;
export type OrderLogColumns = Partial<Record<OrderLogField, string>>;

function normalise(name: string): string {
  return name.toLowerCase().replace(/[\s_\-.]/g, '');
}

/** Canonical columns (of orders and customers) a column mapping in models/sources.yml may name, by field. */
const MAPPABLE: Readonly<Record<string, OrderLogField>> = {
  customer_id: 'customer', order_date: 'date', amount_cny: 'amount', quantity: 'quantity', order_id: 'orderId',
  product_category: 'product', status: 'status', region: 'region',
};

/**
 * The file's header for each field it has: a header mapped in the config first, then the first matching name in
 * the list above.
 */
export function recogniseOrderLogColumns(headers: readonly string[], mappings: Readonly<Record<string, Readonly<Record<string, string>>>> = {}): OrderLogColumns {
  const byName = new Map(headers.map((header) => [normalise(header), header]));
  const found: OrderLogColumns = {};
  for (const table of ['orders', 'customers']) {
    for (const [header, column] of Object.entries(mappings[table] ?? {})) {
      const field = MAPPABLE[column];
      const actual = byName.get(normalise(header));
      if (field && actual !== undefined && found[field] === undefined) found[field] = actual;
    }
  }
  for (const [field, names] of Object.entries(ORDER_LOG_COLUMN_NAMES) as [OrderLogField, readonly string[]][]) {
    if (found[field] !== undefined) continue;
    const header = names.map((name) => byName.get(name)).find((h) => h !== undefined);
    if (header !== undefined) found[field] = header;
  }
  return found;
}

/** What is missing for the file to be read as an order log, in words; empty when it can be. */
export function missingOrderLogColumns(columns: OrderLogColumns): string[] {
  const missing: string[] = [];
  if (!columns.customer) missing.push(`a customer column (${ORDER_LOG_COLUMN_NAMES.customer.slice(0, 4).join(' / ')} / 客户编号 …)`);
  if (!columns.date) missing.push(`an order date column (${ORDER_LOG_COLUMN_NAMES.date.slice(0, 3).join(' / ')} / 下单时间 …)`);
  if (!columns.amount && !(columns.quantity && columns.unitPrice)) missing.push('an amount column (amount / revenue / 金额 …) or quantity and unit price');
  return missing;
}
