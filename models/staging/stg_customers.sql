with source as (
    select * from {{ source('raw', 'customers') }}
),

live as (
    -- deleted and merged-away records stay in raw_customers, flagged, but are not customers
    select * from source
    where not coalesce(is_deleted, false)
      and nullif(trim(merged_into_id), '') is null
),

renamed as (
    select
        trim(customer_id) as customer_id,
        -- a compact integer key: joins and sorts over millions of customer-months run on it instead of text
        hash(source_system, trim(customer_id)) as customer_key,
        source_system,
        source_id,
        trim(customer_name) as customer_name,
        coalesce(nullif(trim(customer_type), ''), 'unknown') as customer_type,
        nullif(trim(region), '') as region,
        nullif(trim(channel), '') as channel,
        nullif(trim(industry), '') as industry,
        nullif(trim(source), '') as acquisition_source,
        coalesce(trim(source) = 'referral', false) as is_referred,
        coalesce(nullif(trim(account_type), ''), 'standard') as account_type,
        nullif(trim(owner), '') as owner_name,
        nullif(trim(email), '') as email,
        nullif(trim(phone), '') as phone,
        created_date,
        nullif(trim(level), '') as crm_level,
        nullif(trim(level_raw), '') as crm_level_raw,
        nullif(trim(lifecycle_stage), '') as crm_lifecycle_stage,
        became_customer_date,
        became_lead_date,
        became_opportunity_date,
        _source_file as source_file,
        _row_number as source_row_number,
    from live
),

final as (
    select * from renamed
)

select * from final
