import type { ExportKind } from './types.ts';
import { ACQUISITION_SOURCE, DEAL_STAGE, LIFECYCLE_STAGE } from './value-maps.ts';

/** A record's first associated company: HubSpot lists several as `123;456`. */
const firstCompany = { sql: (v: (h: string) => string, has: (h: string) => boolean) => {
  const header = ['Associated Company IDs (Primary)', 'Associated Company IDs', 'Associated Company ID', 'Company ID'].find(has);
  return header ? `nullif(trim(split_part(${v(header)}, ';', 1)), '')` : 'null';
}, uses: ['Associated Company IDs (Primary)', 'Associated Company IDs', 'Associated Company ID', 'Company ID'] };

/** HubSpot CSV / XLSX exports of companies, contacts and deals (`Record ID` on every one). */
export const HUBSPOT_EXPORTS: readonly ExportKind[] = [
  {
    system: 'hubspot',
    table: 'deals',
    label: 'HubSpot deals',
    signatures: [['Record ID', 'Deal Stage'], ['Deal ID', 'Deal Stage']],
    columns: {
      deal_id: { headers: ['Record ID', 'Deal ID'] },
      customer_id: firstCompany,
      deal_name: { headers: ['Deal Name'] },
      pipeline: { headers: ['Pipeline'] },
      stage: { headers: ['Deal Stage'], map: DEAL_STAGE },
      stage_raw: { headers: ['Deal Stage'] },
      amount_cny: { headers: ['Amount', 'Amount in company currency'] },
      amount_raw: { headers: ['Amount', 'Amount in company currency'] },
      created_date: { headers: ['Create Date', 'Created Date'] },
      close_date: { headers: ['Close Date'] },
      owner: { headers: ['Deal owner', 'Deal Owner'] },
    },
    currencyHeaders: ['Currency', 'Deal currency code'],
  },
  {
    system: 'hubspot',
    table: 'contacts',
    label: 'HubSpot contacts',
    signatures: [['Record ID', 'First Name', 'Create Date'], ['Record ID', 'Email', 'Create Date']],
    columns: {
      contact_id: { headers: ['Record ID', 'Contact ID'] },
      customer_id: firstCompany,
      contact_name: { sql: (v) => `nullif(trim(concat_ws(' ', ${v('First Name')}, ${v('Last Name')})), '')`, uses: ['First Name', 'Last Name'] },
      title: { headers: ['Job Title'] },
      email: { headers: ['Email'] },
      phone: { headers: ['Phone Number', 'Mobile Phone Number'] },
      lifecycle_stage: { headers: ['Lifecycle Stage'], map: LIFECYCLE_STAGE },
      lifecycle_stage_raw: { headers: ['Lifecycle Stage'] },
      created_date: { headers: ['Create Date', 'Created Date'] },
      became_customer_date: { headers: ['Became a Customer Date'] },
      became_lead_date: { headers: ['Became a Lead Date'] },
      became_opportunity_date: { headers: ['Became an Opportunity Date'] },
    },
  },
  {
    system: 'hubspot',
    table: 'customers',
    label: 'HubSpot companies',
    signatures: [['Record ID', 'Company name', 'Create Date'], ['Company ID', 'Company name']],
    columns: {
      customer_id: { headers: ['Record ID', 'Company ID'] },
      customer_name: { headers: ['Company name', 'Name'] },
      customer_type: { constant: 'B2B' },
      industry: { headers: ['Industry'] },
      region: { headers: ['Country/Region', 'Country', 'State/Region'] },
      source: { headers: ['Original Source', 'Original Source Type'], map: ACQUISITION_SOURCE },
      source_raw: { headers: ['Original Source', 'Original Source Type'] },
      owner: { headers: ['Company owner', 'Company Owner'] },
      phone: { headers: ['Phone Number'] },
      created_date: { headers: ['Create Date', 'Created Date'] },
      lifecycle_stage: { headers: ['Lifecycle Stage'], map: LIFECYCLE_STAGE },
      lifecycle_stage_raw: { headers: ['Lifecycle Stage'] },
      became_customer_date: { headers: ['Became a Customer Date'] },
      became_lead_date: { headers: ['Became a Lead Date'] },
      became_opportunity_date: { headers: ['Became an Opportunity Date'] },
    },
  },
];
