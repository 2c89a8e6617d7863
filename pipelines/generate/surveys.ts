import type { Calendar } from './calendar.ts';
import type { Satisfaction } from './catalog.ts';
import type { Customer } from './customers.ts';
import type { Order } from './orders.ts';
import { MODEL } from './params.ts';
import type { Rng } from './rng.ts';
import type { Ticket } from './tickets.ts';

export interface Survey {
  readonly day: number;
  readonly satisfaction: Satisfaction;
  readonly npsScore: number;
}

/** log10 of a typical cumulative spend, so spend shifts satisfaction relative to the segment. */
const TYPICAL_SPEND_LOG10 = { B2B: 5, B2C: 3.3 } as const;

/**
 * About 30 % of buyers answer one or more surveys after their first order. Satisfaction is mostly noise,
 * nudged up by spend so far and down by recent tickets (complaints most); the NPS score is drawn from the
 * band that matches the satisfaction level.
 */
export function simulateSurveys(
  customer: Customer,
  orders: readonly Order[],
  tickets: readonly Ticket[],
  calendar: Calendar,
  rng: Rng,
): Survey[] {
  const first = orders[0];
  if (first === undefined || !rng.chance(MODEL.surveyResponderShare)) return [];
  const from = first.day + 7;
  const span = calendar.days - from;
  if (span <= 0) return [];
  const count = Math.min(4, 1 + rng.poisson(0.5));
  const days: number[] = [];
  for (let i = 0; i < count; i++) days.push(from + rng.int(0, span));
  days.sort((a, b) => a - b);

  return days.map((day) => {
    let spentCents = 0;
    for (const order of orders) if (order.day <= day && order.status === 'completed') spentCents += order.amountCents;
    let trouble = 0;
    for (const ticket of tickets) {
      if (ticket.day <= day && ticket.day > day - 180) trouble += ticket.category === '投诉' ? 2 : 1;
    }
    const spendEffect = 0.3 * (Math.log10(spentCents / 100 + 1) - TYPICAL_SPEND_LOG10[customer.type]);
    const latent = 0.5 + spendEffect - 0.35 * trouble + rng.normal();
    let satisfaction: Satisfaction;
    let npsScore: number;
    if (latent > 1.3) [satisfaction, npsScore] = ['很满意', rng.int(9, 11)];
    else if (latent > 0.1) [satisfaction, npsScore] = ['满意', rng.int(7, 10)];
    else if (latent > -0.8) [satisfaction, npsScore] = ['一般', rng.int(5, 8)];
    else if (latent > -1.6) [satisfaction, npsScore] = ['不满意', rng.int(2, 6)];
    else [satisfaction, npsScore] = ['很不满意', rng.int(0, 4)];
    return { day, satisfaction, npsScore };
  });
}
