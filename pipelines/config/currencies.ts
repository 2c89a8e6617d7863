import { z } from 'zod';
import { readYamlFile } from './yaml-file.ts';
import { ConfigError, parseConfig } from './zod-errors.ts';

/** models/currencies.yml: the rates that turn amounts in other currencies into the warehouse currency. */
const currencyCode = z.string().regex(/^[A-Z]{3}$/, 'an ISO 4217 code such as CNY, USD, GBP');

export const currenciesSchema = z.strictObject({
  version: z.literal(1),
  base_currency: currencyCode,
  rates_to_base: z.record(currencyCode, z.number().positive()),
});

export type CurrenciesConfig = z.output<typeof currenciesSchema>;

export function loadCurrenciesConfig(file: string): Readonly<CurrenciesConfig> {
  const config = parseConfig(currenciesSchema, readYamlFile(file), file);
  if (config.rates_to_base[config.base_currency] !== 1) {
    throw new ConfigError(file, [`rates_to_base.${config.base_currency}: the base currency's rate must be 1`]);
  }
  return config;
}

/** The rate for `currency`, or an error naming the file and the currencies it knows. */
export function rateToBase(config: Readonly<CurrenciesConfig>, currency: string, file: string): number {
  const rate = config.rates_to_base[currency];
  if (rate === undefined) {
    throw new ConfigError(file, [`rates_to_base: no rate for ${currency} (known: ${Object.keys(config.rates_to_base).join(', ')}); add one`]);
  }
  return rate;
}
