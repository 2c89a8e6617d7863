import type { Calendar } from './calendar.ts';
import type { ActivityType } from './catalog.ts';
import type { Customer } from './customers.ts';
import { ALL_SALES_REPS } from './names.ts';
import type { Order } from './orders.ts';
import { MODEL } from './params.ts';
import { Weighted, type Rng } from './rng.ts';

export interface Activity {
  readonly day: number;
  readonly type: ActivityType;
  readonly owner: string;
  readonly note: string;
}

const TYPE_WEIGHTS = {
  B2B: new Weighted<ActivityType>([['call', 30], ['visit', 20], ['email', 20], ['wechat', 15], ['meeting', 15]]),
  B2C: new Weighted<ActivityType>([['call', 35], ['wechat', 35], ['email', 25], ['visit', 3], ['meeting', 2]]),
};

/** Short follow-up notes; some carry an ASCII comma or quotes, as real CRM free text does. */
const NOTES: readonly string[] = [
  '电话回访，客户反馈良好',
  '客户询价,已发送报价单',
  '上门拜访, 演示新版本功能',
  '确认续约意向',
  '跟进发票问题',
  '客户反馈"交付慢",已协调物流',
  '微信沟通需求',
  '发送产品资料',
  '邀请参加线上研讨会',
  '商务谈判, 讨论年度折扣',
  '安排技术交流会',
  '催收回款',
  '节日问候',
  '了解竞品情况',
  '客户暂无需求, 三个月后再联系',
  '确认收货及安装时间',
  '介绍增值服务',
  '年度合作回顾',
  '处理售后投诉,已升级主管',
  '客户要求"加急"发货',
];

/**
 * Sales follow-ups as a Poisson process over the time sales cares about the customer: a prospect for some
 * months after creation, a buyer from creation until a while after the last order. Bigger accounts are
 * contacted more often.
 */
export function simulateActivities(customer: Customer, orders: readonly Order[], calendar: Calendar, rng: Rng): Activity[] {
  const activities: Activity[] = [];
  const rates = MODEL.activitiesPerYear;
  let perYear: number;
  let until: number;
  const lastOrder = orders.length > 0 ? (orders[orders.length - 1] as Order).day : -1;
  if (lastOrder < 0) {
    perYear = rates.prospect;
    until = customer.createdDay + MODEL.followUpDays.prospect;
  } else {
    if (customer.type === 'B2B') {
      const yearlyValue = customer.purchaseRate * 365 * (customer.spendShape / customer.spendRate);
      perYear = rates.B2B * (1 + 0.5 * Math.log10(1 + yearlyValue / 100_000));
    } else {
      perYear = rates.B2C;
    }
    if (customer.accountType === 'strategic') perYear *= rates.strategicFactor;
    until = lastOrder + MODEL.followUpDays.afterLastOrder;
  }
  until = Math.min(until, calendar.days);
  const types = TYPE_WEIGHTS[customer.type];
  const meanGap = 365 / perYear;
  let t = customer.createdDay;
  for (;;) {
    t += rng.exponential(meanGap);
    const day = Math.floor(t);
    if (day >= until) break;
    const owner = rng.chance(0.85) ? customer.owner : rng.pick(ALL_SALES_REPS);
    activities.push({ day, type: types.sample(rng), owner, note: rng.pick(NOTES) });
  }
  return activities;
}
