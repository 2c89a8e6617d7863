with source as (
    select * from {{ source('raw', 'payments') }}
),

customer_merges as (
    select * from {{ ref('stg_customer_merges') }}
),

renamed as (
    select
        trim(source.payment_id) as payment_id,
        coalesce(customer_merges.surviving_customer_id, trim(source.customer_id)) as customer_id,
        hash(source.source_system, coalesce(customer_merges.surviving_customer_id, trim(source.customer_id))) as customer_key,
        source.source_system,
        source.source_id,
        nullif(trim(source.order_id), '') as order_id,
        source.payment_date,
        source.amount_cny,
        source.currency as original_currency,
        nullif(trim(source.method), '') as payment_method,
    from source
    left join customer_merges
        on customer_merges.source_system = source.source_system
        and customer_merges.merged_customer_id = trim(source.customer_id)
    -- deleted records stay in the raw table, flagged; they are not counted
    where not coalesce(source.is_deleted, false)
),

final as (
    select * from renamed
)

select * from final
