with source as (
    select * from {{ source('raw', 'activities') }}
),

customer_merges as (
    select * from {{ ref('stg_customer_merges') }}
),

renamed as (
    select
        trim(source.activity_id) as activity_id,
        coalesce(customer_merges.surviving_customer_id, trim(source.customer_id)) as customer_id,
        hash(source.source_system, coalesce(customer_merges.surviving_customer_id, trim(source.customer_id))) as customer_key,
        source.source_system,
        source.source_id,
        source.activity_date,
        nullif(trim(source.activity_type), '') as activity_type,
        nullif(trim(source.owner), '') as owner_name,
        nullif(trim(source.note), '') as note,
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
