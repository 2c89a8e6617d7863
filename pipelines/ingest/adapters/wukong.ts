import type { ExportKind } from './types.ts';
import { ACQUISITION_SOURCE, SATISFACTION } from './value-maps.ts';

/**
 * WukongCRM (悟空CRM) Excel exports. They carry no ids: customers are identified by 客户名称 and contracts by
 * 合同编号, which is what the other exports refer to. Import templates add a note row above the header and mark
 * required headers with `*` (both handled when the file is read).
 */
export const WUKONG_EXPORTS: readonly ExportKind[] = [
  {
    system: 'wukong',
    table: 'orders',
    label: 'WukongCRM contracts (合同)',
    signatures: [['合同编号', '合同金额', '客户名称']],
    columns: {
      order_id: { headers: ['合同编号'] },
      customer_id: { headers: ['客户名称'] },
      order_date: { headers: ['下单时间', '下单日期', '签约时间', '开始时间', '创建时间'] },
      amount_cny: { headers: ['合同金额'] },
      amount_raw: { headers: ['合同金额'] },
      product_category: { headers: ['产品类别', '产品名称', '合同类型'] },
      // only approved contracts are revenue; rejected, withdrawn and voided ones are kept but never counted
      status: {
        headers: ['审核状态', '合同状态'],
        map: { cases: [['未通过|拒绝|驳回|作废|撤回|撤销', 'cancelled'], ['通过|已审核|approved', 'completed']], otherwise: 'pending' },
      },
      status_raw: { headers: ['审核状态', '合同状态'] },
    },
  },
  {
    system: 'wukong',
    table: 'payments',
    label: 'WukongCRM payments (回款)',
    signatures: [['回款编号', '回款金额'], ['回款日期', '回款金额', '客户名称']],
    columns: {
      payment_id: { headers: ['回款编号'] },
      customer_id: { headers: ['客户名称'] },
      order_id: { headers: ['合同编号'] },
      payment_date: { headers: ['回款日期'] },
      amount_cny: { headers: ['回款金额'] },
      amount_raw: { headers: ['回款金额'] },
      method: { headers: ['回款方式'] },
    },
  },
  {
    system: 'wukong',
    table: 'surveys',
    label: 'WukongCRM follow-up visits (回访)',
    signatures: [['回访时间', '客户满意度']],
    columns: {
      // visits have no number of their own in most exports: the customer and the time identify one
      survey_id: {
        sql: (v, has) => (has('回访编号') ? `coalesce(${v('回访编号')}, ${v('客户名称')} || ' @ ' || ${v('回访时间')})` : `${v('客户名称')} || ' @ ' || ${v('回访时间')}`),
        uses: ['回访编号', '客户名称', '回访时间'],
      },
      customer_id: { headers: ['客户名称'] },
      survey_date: { headers: ['回访时间'] },
      satisfaction: { headers: ['客户满意度'], map: SATISFACTION },
      satisfaction_raw: { headers: ['客户满意度'] },
    },
  },
  {
    system: 'wukong',
    table: 'customers',
    label: 'WukongCRM customers (客户)',
    signatures: [['客户名称', '客户级别'], ['客户名称', '客户来源'], ['客户名称', '成交状态']],
    columns: {
      customer_id: { headers: ['客户名称'] },
      customer_name: { headers: ['客户名称'] },
      industry: { headers: ['客户行业'] },
      source: { headers: ['客户来源'], map: ACQUISITION_SOURCE },
      source_raw: { headers: ['客户来源'] },
      region: { headers: ['地区', '省份', '所在地区', '区域'] },
      owner: { headers: ['负责人'] },
      email: { headers: ['邮箱'] },
      phone: { sql: (v) => `coalesce(${v('手机')}, ${v('电话')})`, uses: ['手机', '电话'] },
      created_date: { headers: ['创建时间'] },
      // 客户级别 `A（重点客户）`: the letter is the level, the words its gloss
      level: { headers: ['客户级别'], extract: '^\\s*([A-Za-z0-9]+)' },
      level_raw: { headers: ['客户级别'] },
      lifecycle_stage: { headers: ['成交状态'], map: { cases: [['^已成交$', 'customer'], ['^未成交$', 'lead']], otherwise: 'other' } },
      lifecycle_stage_raw: { headers: ['成交状态'] },
    },
  },
];
