import type { ExportKind } from './types.ts';
import { ACQUISITION_SOURCE, DEAL_STAGE } from './value-maps.ts';

/**
 * Zoho CRM exports: `Record Id` on every record; a lookup is two columns, its name (`Account Name`) and its id
 * (`Account Name.id`), and the id is what links records.
 */
export const ZOHO_EXPORTS: readonly ExportKind[] = [
  {
    system: 'zoho',
    table: 'deals',
    label: 'Zoho CRM deals',
    signatures: [['Record Id', 'Deal Name', 'Stage', 'Closing Date'], ['Record Id', 'Deal Name', 'Stage', 'Created Time']],
    columns: {
      deal_id: { headers: ['Record Id'] },
      customer_id: { headers: ['Account Name.id', 'Account Name.Id', 'Account Id'] },
      deal_name: { headers: ['Deal Name'] },
      pipeline: { headers: ['Pipeline', 'Type'] },
      stage: { headers: ['Stage'], map: DEAL_STAGE },
      stage_raw: { headers: ['Stage'] },
      amount_cny: { headers: ['Amount'] },
      amount_raw: { headers: ['Amount'] },
      created_date: { headers: ['Created Time'] },
      close_date: { headers: ['Closing Date'] },
      owner: { headers: ['Deal Owner'] },
    },
    currencyHeaders: ['Currency'],
  },
  {
    system: 'zoho',
    table: 'contacts',
    label: 'Zoho CRM contacts',
    signatures: [['Record Id', 'Last Name', 'Account Name.id'], ['Record Id', 'Last Name', 'Created Time']],
    columns: {
      contact_id: { headers: ['Record Id'] },
      customer_id: { headers: ['Account Name.id', 'Account Name.Id'] },
      contact_name: { sql: (v) => `nullif(trim(concat_ws(' ', ${v('First Name')}, ${v('Last Name')})), '')`, uses: ['First Name', 'Last Name'] },
      title: { headers: ['Title'] },
      email: { headers: ['Email'] },
      phone: { headers: ['Phone', 'Mobile'] },
      created_date: { headers: ['Created Time'] },
    },
  },
  {
    system: 'zoho',
    table: 'customers',
    label: 'Zoho CRM accounts',
    signatures: [['Record Id', 'Account Name', 'Created Time']],
    columns: {
      customer_id: { headers: ['Record Id'] },
      customer_name: { headers: ['Account Name'] },
      customer_type: { constant: 'B2B' },
      industry: { headers: ['Industry'] },
      region: { headers: ['Billing State', 'Billing Country'] },
      source: { headers: ['Lead Source', 'Account Source'], map: ACQUISITION_SOURCE },
      source_raw: { headers: ['Lead Source', 'Account Source'] },
      account_type: {
        headers: ['Account Type'],
        map: { cases: [['partner|reseller|integrator', 'partner'], ['strategic', 'strategic']], otherwise: 'standard' },
      },
      owner: { headers: ['Account Owner'] },
      phone: { headers: ['Phone'] },
      created_date: { headers: ['Created Time'] },
    },
  },
];
