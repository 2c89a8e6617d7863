with source as (
    select * from {{ source('raw', 'customers') }}
),

renamed as (
    select
        trim(customer_id) as customer_id,
        -- a compact integer key: joins and sorts over millions of customer-months run on it instead of text
        hash(trim(customer_id)) as customer_key,
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
        _source_file as source_file,
        _row_number as source_row_number,
    from source
),

final as (
    select * from renamed
)

select * from final
