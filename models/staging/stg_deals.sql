with source as (
    select * from {{ source('raw', 'deals') }}
),

customer_merges as (
    select * from {{ ref('stg_customer_merges') }}
),

renamed as (
    select
        trim(source.deal_id) as deal_id,
        coalesce(customer_merges.surviving_customer_id, trim(source.customer_id)) as customer_id,
        hash(source.source_system, coalesce(customer_merges.surviving_customer_id, trim(source.customer_id))) as customer_key,
        source.source_system,
        source.source_id,
        nullif(trim(source.deal_name), '') as deal_name,
        nullif(trim(source.pipeline), '') as pipeline,
        source.stage as deal_stage,
        nullif(trim(source.stage_raw), '') as deal_stage_raw,
        source.amount_cny,
        source.currency as original_currency,
        source.created_date,
        source.close_date,
        nullif(trim(source.owner), '') as owner_name,
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
