import type { Calendar } from './calendar.ts';
import type { TicketCategory, TicketPriority, TicketStatus } from './catalog.ts';
import type { Order } from './orders.ts';
import { MODEL } from './params.ts';
import { Weighted, type Rng } from './rng.ts';

export interface Ticket {
  readonly day: number;
  readonly category: TicketCategory;
  readonly priority: TicketPriority;
  readonly status: TicketStatus;
}

const CATEGORY_BY_ORDER = {
  hardware: new Weighted<TicketCategory>([['安装', 30], ['故障', 35], ['咨询', 15], ['投诉', 10], ['退换货', 10]]),
  service: new Weighted<TicketCategory>([['安装', 35], ['故障', 20], ['咨询', 30], ['投诉', 15]]),
  other: new Weighted<TicketCategory>([['安装', 10], ['故障', 25], ['咨询', 45], ['投诉', 12], ['退换货', 8]]),
  refunded: new Weighted<TicketCategory>([['退换货', 70], ['投诉', 30]]),
};
const PRIORITY_BY_CATEGORY = {
  urgent: new Weighted<TicketPriority>([['high', 40], ['medium', 45], ['low', 15]]),
  fault: new Weighted<TicketPriority>([['high', 30], ['medium', 50], ['low', 20]]),
  routine: new Weighted<TicketPriority>([['low', 55], ['medium', 35], ['high', 10]]),
};

/**
 * Service tickets follow orders (so their number is roughly proportional to orders): hardware and
 * implementation work cause more, a refund almost always comes with one. Recent tickets are often still open.
 */
export function simulateTickets(orders: readonly Order[], calendar: Calendar, rng: Rng): Ticket[] {
  const tickets: Ticket[] = [];
  const lastDay = calendar.days - 1;
  for (const order of orders) {
    if (order.status === 'cancelled') continue;
    let categories: Weighted<TicketCategory>;
    let chance: number;
    if (order.status === 'refunded') {
      categories = CATEGORY_BY_ORDER.refunded;
      chance = MODEL.ticketChance.refunded;
    } else if (order.category === '硬件设备' || order.category === '实施服务') {
      categories = order.category === '硬件设备' ? CATEGORY_BY_ORDER.hardware : CATEGORY_BY_ORDER.service;
      chance = MODEL.ticketChance.hardwareOrService;
    } else {
      categories = CATEGORY_BY_ORDER.other;
      chance = MODEL.ticketChance.other;
    }
    if (!rng.chance(chance)) continue;
    const day = order.day + Math.floor(rng.exponential(7));
    if (day > lastDay) continue;
    const category = categories.sample(rng);
    const priorities = category === '投诉' ? PRIORITY_BY_CATEGORY.urgent
      : category === '故障' ? PRIORITY_BY_CATEGORY.fault : PRIORITY_BY_CATEGORY.routine;
    const priority = priorities.sample(rng);
    const age = lastDay - day;
    const openChance = age < 14 ? 0.6 : age < 60 ? 0.1 : 0.01;
    tickets.push({ day, category, priority, status: rng.chance(openChance) ? 'open' : 'closed' });
  }
  return tickets;
}
